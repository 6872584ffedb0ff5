# /undo and /redo: each console line is one unit; ids, order and values come back exactly
/ip pool add name=p1 ranges=10.0.0.1-10.0.0.9
/ip pool add name=p2 ranges=10.0.1.1
:put [/ip pool find name=p2]
/undo
/ip pool print
/redo
/ip pool print
:put [/ip pool find name=p2]
# set
/ip pool set p1 ranges=10.0.0.5 comment=changed
/ip pool print detail
/undo
/ip pool print detail
/redo
/ip pool print detail
# remove: the item comes back with its id and in its place
/ip pool remove p1
/ip pool print
/undo
/ip pool print
:put [/ip pool find name=p1]
# move
/ip firewall nat add chain=srcnat action=masquerade comment=first
/ip firewall nat add chain=srcnat action=masquerade comment=second
/ip firewall nat add chain=srcnat action=masquerade comment=third
/ip firewall nat move 2 0
/ip firewall nat print
/undo
/ip firewall nat print
/redo
/ip firewall nat print
# a line of several commands is one unit
/ip pool add name=p3 ranges=10.0.3.1; /ip pool set p1 comment=batch; /ip pool remove p2
/ip pool print
/undo
/ip pool print
:put [/ip pool find name=p2]
# undo goes on backwards; redo brings back in order
/undo
/ip firewall nat print
/redo
/redo
/ip pool print
/redo
# a new change forgets what was undone
/undo
/ip pool add name=p4 ranges=10.0.4.1
/redo
/undo extra
/system history print
