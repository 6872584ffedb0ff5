# /ip dns: a single settings menu.
/ip dns
print
export
export verbose
set servers=1.1.1.1,2001:4860:4860:0:0:0:0:8888 allow-remote-requests=yes
print
print detail
print terse
print as-value
print count-only
get servers
get allow-remote-requests
export
export verbose
export terse
# the list keeps its order; IPv6 is shown in its short form
set servers=9.9.9.9,1.1.1.1
print
unset servers
print
set allow-remote-requests=no
export
# read-only: learnt from tunnels
set dynamic-servers=8.8.8.8
set servers=1.1.1.1 allow-remote-requests=yes
reset
print
# set-system-resolver: a Rosh extension, exported when not the default
set set-system-resolver=yes
get set-system-resolver
export
unset set-system-resolver
print
