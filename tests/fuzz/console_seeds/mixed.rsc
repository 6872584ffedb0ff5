:while ($n < 3) do={ :set n ($n + 1) }
:do { :error "x" } while=(false) on-error={ :put [:pick "abc" 1 2] }
:put "$[:len [/ppp secret find]] $(1h + 5m) \$"
/system script add name=s source=":return [:find \"abc\" \"c\"]"
:put [/system script run s]
:if ([:onerror e in={ /ip pool add name=q ranges=x } do={ :put $e }]) do={ :put [:toarray "1,2"] }
:put [:totime [:tonum [:toip 10.0.0.1]]]
