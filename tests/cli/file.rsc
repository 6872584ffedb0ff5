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
# nothing to refer to yet
set 0 name=y.rsc
get 0 name
remove 0
remove nosuch.rsc
export
# a small file placed from a script (sizes, not times, are stable)
add name=notes.txt contents="two\nlines\n"
add name=notes.txt
add name=../notes.txt
print proplist=name,type,size
print count-only where type=file
get notes.txt size
remove notes.txt
print count-only
