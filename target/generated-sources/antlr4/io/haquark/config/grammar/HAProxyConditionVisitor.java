// Generated from HAProxyCondition.g4 by ANTLR 4.13.2
package io.haquark.config.grammar;
import org.antlr.v4.runtime.tree.ParseTreeVisitor;

/**
 * This interface defines a complete generic visitor for a parse tree produced
 * by {@link HAProxyConditionParser}.
 *
 * @param <T> The return type of the visit operation. Use {@link Void} for
 * operations with no return type.
 */
public interface HAProxyConditionVisitor<T> extends ParseTreeVisitor<T> {
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#condition}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitCondition(HAProxyConditionParser.ConditionContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#orExpr}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitOrExpr(HAProxyConditionParser.OrExprContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#andExpr}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitAndExpr(HAProxyConditionParser.AndExprContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#term}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitTerm(HAProxyConditionParser.TermContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#aclName}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitAclName(HAProxyConditionParser.AclNameContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#anonymous}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitAnonymous(HAProxyConditionParser.AnonymousContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#argWord}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitArgWord(HAProxyConditionParser.ArgWordContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#ppCondition}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitPpCondition(HAProxyConditionParser.PpConditionContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#ppOr}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitPpOr(HAProxyConditionParser.PpOrContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#ppAnd}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitPpAnd(HAProxyConditionParser.PpAndContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConditionParser#ppUnary}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitPpUnary(HAProxyConditionParser.PpUnaryContext ctx);
}