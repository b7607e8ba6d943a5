# hostile: runs but never binds a port (forgot bind(), waits on stdin that never comes)
import sys
sys.stdin.read()
import threading
threading.Event().wait()
