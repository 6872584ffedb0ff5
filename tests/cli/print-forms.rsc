# print's other forms: from=, value-list, file=, and what can not combine
/ip pool
add name=a ranges=10.0.0.1-10.0.0.9
add name=b ranges=10.1.0.1-10.1.0.9 comment=second
add name=c ranges=10.2.0.1-10.2.0.9 next-pool=a
print value-list
print value-list where name!=b
print
print from=2,0
print detail from=[find where name~"[bc]"] where name!=b
print from=nosuch
# numbers follow the last print: 0 is c now
get 0 name
print terse from=1
print value-list proplist=name,next-pool from=c,a
/file print
/ip pool print file=pools
/ip pool print detail file=pools-detail.txt
/file print proplist=name,type,size
/ip pool print file=../pools
# the forms that print until stopped, and nonsense
/ip pool print follow count-only
/ip pool print follow interval=1s
/ip pool print interval=2s file=x
/ip pool print interval=0s
:put [/ip pool print follow]
:put [/ip pool print count-only interval=1s]
/system identity print value-list
