# menu-of-line.awk: for every line of a RouterOS script, the menu its
# command runs in, so that a refusal can be told apart: on a menu Rosh has,
# on one it lacks, or on a script statement. MENUS is a file of lines
# "/path command command ..." made from `rosh --man-menus`.
#   awk -v menus=MENUS -f menu-of-line.awk SCRIPT
# prints "LINE<TAB>KIND<TAB>MENU" for each line; KIND is rosh (a menu Rosh
# has), lacking (one it has not), script, placeholder (a value left for the
# reader to fill in, as address=<WAN-IP>), or blank (comments, empty lines);
# MENU is - where there is none.
BEGIN {
	while ((getline l < menus) > 0) {
		n = split(l, w, " ")
		rosh[w[1]] = 1
		for (i = 2; i <= n; i++)
			verb[w[i]] = 1
	}
	rosh["/"] = 1
	ctx = "/"
	first = 0
}

# The leading words of a command that name a menu, up to its command (a
# word that is a command of some Rosh menu, or has =, [, " or $ in it).
# "/ip/firewall/nat add" and "/ip firewall nat add" are the same.
function menu_of(t,    n, w, i, path, word) {
	gsub(/\//, " ", t)
	n = split(t, w, /[ \t]+/)
	path = ""
	for (i = 1; i <= n; i++) {
		word = w[i]
		if (word == "")
			continue
		if (word in verb || word ~ /[=\["$;{}]/)
			break
		path = path "/" word
	}
	if (i > n) {	# only a menu: it becomes the current one
		ctx = path == "" ? "/" : path
		return ctx
	}
	return path == "" ? "/" : path
}

function classify(t,    c, m) {
	sub(/^[ \t]+/, "", t)
	if (t == "" || t ~ /^#/)
		return "blank\t-"
	if (t ~ /=<[^>]+>/ || t ~ /=[Xx]\.[Xx]\.[Xx]\.[Xx]([ /]|$)/)
		return "placeholder\t-"
	c = substr(t, 1, 1)
	if (c ~ /[:{}$\[(]/)
		return "script\t-"
	m = c == "/" ? menu_of(substr(t, 2)) : ctx
	return ((m in rosh) ? "rosh" : "lacking") "\t" m
}

# How far a line opens brackets ({ [ and ( outside quotes): a statement
# runs on until they are closed, as /system script add source={ ... } does.
# A quoted string goes on to the next line only after a trailing backslash.
function depth_of(t,    i, c, d) {
	if (!q && t ~ /^[ \t]*#/)
		return 0
	d = 0
	for (i = 1; i <= length(t); i++) {
		c = substr(t, i, 1)
		if (q && c == "\\")
			i++
		else if (c == "\"")
			q = !q
		else if (!q && c ~ /[{[(]/)
			d++
		else if (!q && c ~ /[}\])]/)
			d--
	}
	if (t !~ /\\$/)
		q = 0
	return d
}

{
	sub(/\r$/, "")
	if (!first)
		first = NR
	text = text $0 "\n"
	depth += depth_of($0)
	if ($0 ~ /\\$/ || depth > 0)	# continued on the next line
		next
	depth = 0
	sub(/\n.*/, "", text)	# the statement is known by its first line
	k = classify(text)
	for (i = first; i <= NR; i++)
		print i "\t" k
	text = ""
	first = 0
}

END {
	if (first) {
		sub(/\n.*/, "", text)
		k = classify(text)
		for (i = first; i <= NR; i++)
			print i "\t" k
	}
}
