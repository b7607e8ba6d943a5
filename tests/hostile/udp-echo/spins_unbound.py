# hostile: runs, never binds a port, and keeps a CPU busy (not blocked: the
# harness cannot prove it will never bind: it waits until it has spent the CPU
# budget, the same on an idle and a loaded machine)
while True:
    pass
