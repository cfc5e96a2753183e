/*
 * The lexical language of haproxy.cfg (configuration.txt §2.2-2.4): a file is a
 * list of lines, a line is a list of words separated by blanks, and a word is a
 * concatenation of parts — bare text, backslash escapes, weak "..." quotes (escapes
 * and $VARs expanded), strong '...' quotes (nothing expanded) and $VAR / ${VAR} /
 * ${VAR-default} references. What a word *means* is left to the keyword registry
 * in io.haquark.config; what a condition means is left to HAProxyCondition.g4.
 */
grammar HAProxyConfig;

config : line* EOF ;

// Every line ends with LF: ConfigReader reports a missing final LF the way HAProxy 2.6 does
// and appends one, so the grammar stays simple.
line : WS? (word (WS word)*)? WS? COMMENT? NL ;

word : part+ ;

part
    : BARE          # bare
    | ESCAPE        # escape
    | WEAK_QUOTED   # weakQuoted
    | STRONG_QUOTED # strongQuoted
    | ENV           # env
    | DOLLAR        # dollar
    | UNTERMINATED  # unterminated
    ;

NL            : '\r'? '\n' ;
// A CR that does not end a line counts as a blank, as in HAProxy's own line splitter.
WS            : [ \t\r]+ ;
COMMENT       : '#' ~[\r\n]* ;
ESCAPE        : '\\x' [0-9a-fA-F] [0-9a-fA-F] | '\\' ~[\r\n] | '\\' ;
WEAK_QUOTED   : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* '"' ;
STRONG_QUOTED : '\'' ~['\r\n]* '\'' ;
ENV           : '$' ( '{' ~[}\r\n]* '}' | [A-Za-z_] [A-Za-z0-9_]* ) ;
DOLLAR        : '$' ;
// A quote opened and never closed on its line: kept as a token so the error names the line.
UNTERMINATED  : '"' ( '\\' ~[\r\n] | ~["\\\r\n] )* | '\'' ~['\r\n]* ;
BARE          : ~[ \t\r\n#"'\\$]+ ;
