:while ($n < 3) do={ :set n ($n + 1) }
:do { :error "x" } while=(false) on-error={ :put [:pick "abc" 1 2] }
:put "$[:len [/ppp secret find]] $(1h + 5m) \$"
/system script add name=s source=":return [:find \"abc\" \"c\"]"
:put [/system script run s]
