# hostile: the slides' quit client (UDPClient50000.py beside it), started SECONDS
# late: 'slow_start.sh busy SECONDS' spends them on the CPU first, as a client
# does that starts on a loaded machine; 'slow_start.sh sleep SECONDS' sleeps
# them, idle, as a client does that is stuck.
if [ "$1" = busy ]; then
	python3 -c "import time
t = time.process_time() + $2
while time.process_time() < t: pass"
else
	sleep "$2"
fi
exec python3 UDPClient50000.py
