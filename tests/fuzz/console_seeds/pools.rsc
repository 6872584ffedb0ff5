/ip pool
:for i from=1 to=5 do={ add name=("p" . $i) ranges=(10.0.0.0 + $i) }
:foreach i in=[find where name~"^p[12]"] do={ remove $i }
:do { add name=p3 ranges=10.0.0.3 } on-error={ :log warning "dup" }
:put [print as-value]
