# name-echo: the line, a space and the name, then the line end as it came
# (a '\r' before the '\n' stays after the name)
s/\(\r\{0,1\}\)$/ Ali\1/
