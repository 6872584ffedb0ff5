# /file: the file store beside the database, empty here.
/file
print
print detail
print terse
print as-value
print count-only
print where name~"rsc"
print where type=script
print proplist=name,size
:put [find]
# files come from export file= and uploads, not from add or set
add name=x.rsc
set 0 name=y.rsc
get 0 name
remove 0
remove nosuch.rsc
export
