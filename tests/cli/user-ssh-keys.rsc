# /user ssh-keys: keys are checked when added; type, size and comment are shown
/user add name=ops group=write
/user ssh-keys add user=admin key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAjmfjwQVrVQ/tAZt7GaUl1QXWwk5DcZe8rtruqrohm7 alice@laptop"
/user ssh-keys add user=ops key="ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGO8hksustVS19o1co0wmLpxJH7uZJLuIQd4bqeRjVLz5MoZzVSxFLuW+qPL/l2Mx/z9sGqyJBjYS1DpVpPmzbw= " comment="no comment in the key"
/user ssh-keys import public-key-file=team.pub user=ops
/user ssh-keys print
# refused: a truncated blob, a blob of another type, options, an unknown type, no blob
/user ssh-keys add user=admin key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAjmfjwQVrVQ/tAZ"
/user ssh-keys add user=admin key="ssh-rsa AAAAC3NzaC1lZDI1NTE5AAAAIAjmfjwQVrVQ/tAZt7GaUl1QXWwk5DcZe8rtruqrohm7"
/user ssh-keys add user=admin key="from=\"10.0.0.1\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAjmfjwQVrVQ/tAZt7GaUl1QXWwk5DcZe8rtruqrohm7 alice@laptop"
/user ssh-keys add user=admin key="ssh-dss AAAAB3NzaC1kc3MAAACBAP"
/user ssh-keys add user=admin key="ssh-ed25519"
/user ssh-keys add user=nobody key="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAjmfjwQVrVQ/tAZt7GaUl1QXWwk5DcZe8rtruqrohm7 alice@laptop"
/user ssh-keys import public-key-file=missing.pub user=admin
/user ssh-keys set 0 key="ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBGO8hksustVS19o1co0wmLpxJH7uZJLuIQd4bqeRjVLz5MoZzVSxFLuW+qPL/l2Mx/z9sGqyJBjYS1DpVpPmzbw= "
/user ssh-keys set 0 key-type=ssh-rsa
/user ssh-keys print count-only
