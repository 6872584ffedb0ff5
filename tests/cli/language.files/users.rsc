# a script in the file store: comments, continuation, a menu line
/ppp secret
add name=dave password=d4ve \
    service=ovpn comment="from users.rsc"
add name=erin profile=default
# output of a script shows as it runs
/ppp secret print count-only
