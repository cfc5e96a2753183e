// Generated from HAProxyConfig.g4 by ANTLR 4.13.2
package io.haquark.config.grammar;
import org.antlr.v4.runtime.tree.ParseTreeVisitor;

/**
 * This interface defines a complete generic visitor for a parse tree produced
 * by {@link HAProxyConfigParser}.
 *
 * @param <T> The return type of the visit operation. Use {@link Void} for
 * operations with no return type.
 */
public interface HAProxyConfigVisitor<T> extends ParseTreeVisitor<T> {
	/**
	 * Visit a parse tree produced by {@link HAProxyConfigParser#config}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitConfig(HAProxyConfigParser.ConfigContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConfigParser#line}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitLine(HAProxyConfigParser.LineContext ctx);
	/**
	 * Visit a parse tree produced by {@link HAProxyConfigParser#word}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitWord(HAProxyConfigParser.WordContext ctx);
	/**
	 * Visit a parse tree produced by the {@code bare}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitBare(HAProxyConfigParser.BareContext ctx);
	/**
	 * Visit a parse tree produced by the {@code escape}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitEscape(HAProxyConfigParser.EscapeContext ctx);
	/**
	 * Visit a parse tree produced by the {@code weakQuoted}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitWeakQuoted(HAProxyConfigParser.WeakQuotedContext ctx);
	/**
	 * Visit a parse tree produced by the {@code strongQuoted}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitStrongQuoted(HAProxyConfigParser.StrongQuotedContext ctx);
	/**
	 * Visit a parse tree produced by the {@code env}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitEnv(HAProxyConfigParser.EnvContext ctx);
	/**
	 * Visit a parse tree produced by the {@code dollar}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitDollar(HAProxyConfigParser.DollarContext ctx);
	/**
	 * Visit a parse tree produced by the {@code unterminated}
	 * labeled alternative in {@link HAProxyConfigParser#part}.
	 * @param ctx the parse tree
	 * @return the visitor result
	 */
	T visitUnterminated(HAProxyConfigParser.UnterminatedContext ctx);
}