# /system identity: the router name, shown in the prompt.
/system identity
print
export
export verbose
set name=branch-1
print
print detail
print terse
print as-value
print count-only
get name
export
export terse
# a name with spaces and quotes
set name="edge \"one\" router"
print
get name
export
unset name
print
export
set name=hq
/system identity export verbose
/system/identity/print
/system identity set name=[/system identity get name]
/system identity get name
