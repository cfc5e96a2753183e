/*
 * Conditions after `if` / `unless` (configuration.txt §7.2): terms joined by an
 * implicit AND, alternatives separated by `||` or `or`, `!` negating one term, and
 * anonymous ACLs written between braces. The tokens are the *words* of a config
 * line (already unquoted by HAProxyConfig.g4), so the lexer here only classifies
 * whole words; ConditionParser feeds them through a token source of its own.
 * The same grammar reads `.if` expressions (§2.4) with `&&`, `||`, `!` and parentheses.
 */
grammar HAProxyCondition;

// ---- ACL conditions ----
condition   : (IF | UNLESS) orExpr EOF ;
// HAProxy tolerates a dangling `||` or `!` at the end of a condition: so does this grammar.
orExpr      : andExpr (OR andExpr)* ;
andExpr     : term* NOT? ;
term        : NOT? (aclName | anonymous) ;
aclName     : WORD | RBRACE ;
anonymous   : LBRACE argWord+ RBRACE ;
argWord     : WORD | NOT | OR | IF | UNLESS | AND | LPAREN | RPAREN ;

// ---- .if expressions (preprocessor) ----
ppCondition : ppOr EOF ;
ppOr        : ppAnd (OR ppAnd)* ;
ppAnd       : ppUnary (AND ppUnary)* ;
ppUnary     : NOT ppUnary | LPAREN ppOr RPAREN | WORD ;

IF      : 'if' ;
UNLESS  : 'unless' ;
OR      : '||' | 'or' ;
AND     : '&&' ;
NOT     : '!' ;
LBRACE  : '{' ;
RBRACE  : '}' ;
LPAREN  : '(' ;
RPAREN  : ')' ;
WORD    : . ;
