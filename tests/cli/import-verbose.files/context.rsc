# lines in a menu Rosh does not have never run in the menu before it
/ip pool
add name=ctx ranges=10.77.0.1
/interface bridge # the LAN side
set [ find ] comment="not the pool"
:foreach i in=[find] do={ remove $i }
/ip pool set ctx comment="a command with its own path runs"
add name=br2
/ip pool
set ctx ranges=10.77.0.2
