# hostile: exits with status 3 before binding anything
import sys
print("cannot find config.txt", file=sys.stderr)
sys.exit(3)
