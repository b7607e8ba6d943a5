# hostile: runs, never binds a port, and keeps a CPU busy (not blocked: the
# harness cannot prove it will never bind, so it waits out --ready-timeout)
while True:
    pass
