// Generated from HAProxyCondition.g4 by ANTLR 4.13.2
package io.haquark.config.grammar;
import org.antlr.v4.runtime.atn.*;
import org.antlr.v4.runtime.dfa.DFA;
import org.antlr.v4.runtime.*;
import org.antlr.v4.runtime.misc.*;
import org.antlr.v4.runtime.tree.*;
import java.util.List;
import java.util.Iterator;
import java.util.ArrayList;

@SuppressWarnings({"all", "warnings", "unchecked", "unused", "cast", "CheckReturnValue", "this-escape"})
public class HAProxyConditionParser extends Parser {
	static { RuntimeMetaData.checkVersion("4.13.2", RuntimeMetaData.VERSION); }

	protected static final DFA[] _decisionToDFA;
	protected static final PredictionContextCache _sharedContextCache =
		new PredictionContextCache();
	public static final int
		IF=1, UNLESS=2, OR=3, AND=4, NOT=5, LBRACE=6, RBRACE=7, LPAREN=8, RPAREN=9, 
		WORD=10;
	public static final int
		RULE_condition = 0, RULE_orExpr = 1, RULE_andExpr = 2, RULE_term = 3, 
		RULE_aclName = 4, RULE_anonymous = 5, RULE_argWord = 6, RULE_ppCondition = 7, 
		RULE_ppOr = 8, RULE_ppAnd = 9, RULE_ppUnary = 10;
	private static String[] makeRuleNames() {
		return new String[] {
			"condition", "orExpr", "andExpr", "term", "aclName", "anonymous", "argWord", 
			"ppCondition", "ppOr", "ppAnd", "ppUnary"
		};
	}
	public static final String[] ruleNames = makeRuleNames();

	private static String[] makeLiteralNames() {
		return new String[] {
			null, "'if'", "'unless'", null, "'&&'", "'!'", "'{'", "'}'", "'('", "')'"
		};
	}
	private static final String[] _LITERAL_NAMES = makeLiteralNames();
	private static String[] makeSymbolicNames() {
		return new String[] {
			null, "IF", "UNLESS", "OR", "AND", "NOT", "LBRACE", "RBRACE", "LPAREN", 
			"RPAREN", "WORD"
		};
	}
	private static final String[] _SYMBOLIC_NAMES = makeSymbolicNames();
	public static final Vocabulary VOCABULARY = new VocabularyImpl(_LITERAL_NAMES, _SYMBOLIC_NAMES);

	/**
	 * @deprecated Use {@link #VOCABULARY} instead.
	 */
	@Deprecated
	public static final String[] tokenNames;
	static {
		tokenNames = new String[_SYMBOLIC_NAMES.length];
		for (int i = 0; i < tokenNames.length; i++) {
			tokenNames[i] = VOCABULARY.getLiteralName(i);
			if (tokenNames[i] == null) {
				tokenNames[i] = VOCABULARY.getSymbolicName(i);
			}

			if (tokenNames[i] == null) {
				tokenNames[i] = "<INVALID>";
			}
		}
	}

	@Override
	@Deprecated
	public String[] getTokenNames() {
		return tokenNames;
	}

	@Override

	public Vocabulary getVocabulary() {
		return VOCABULARY;
	}

	@Override
	public String getGrammarFileName() { return "HAProxyCondition.g4"; }

	@Override
	public String[] getRuleNames() { return ruleNames; }

	@Override
	public String getSerializedATN() { return _serializedATN; }

	@Override
	public ATN getATN() { return _ATN; }

	public HAProxyConditionParser(TokenStream input) {
		super(input);
		_interp = new ParserATNSimulator(this,_ATN,_decisionToDFA,_sharedContextCache);
	}

	@SuppressWarnings("CheckReturnValue")
	public static class ConditionContext extends ParserRuleContext {
		public OrExprContext orExpr() {
			return getRuleContext(OrExprContext.class,0);
		}
		public TerminalNode EOF() { return getToken(HAProxyConditionParser.EOF, 0); }
		public TerminalNode IF() { return getToken(HAProxyConditionParser.IF, 0); }
		public TerminalNode UNLESS() { return getToken(HAProxyConditionParser.UNLESS, 0); }
		public ConditionContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_condition; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitCondition(this);
			else return visitor.visitChildren(this);
		}
	}

	public final ConditionContext condition() throws RecognitionException {
		ConditionContext _localctx = new ConditionContext(_ctx, getState());
		enterRule(_localctx, 0, RULE_condition);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(22);
			_la = _input.LA(1);
			if ( !(_la==IF || _la==UNLESS) ) {
			_errHandler.recoverInline(this);
			}
			else {
				if ( _input.LA(1)==Token.EOF ) matchedEOF = true;
				_errHandler.reportMatch(this);
				consume();
			}
			setState(23);
			orExpr();
			setState(24);
			match(EOF);
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class OrExprContext extends ParserRuleContext {
		public List<AndExprContext> andExpr() {
			return getRuleContexts(AndExprContext.class);
		}
		public AndExprContext andExpr(int i) {
			return getRuleContext(AndExprContext.class,i);
		}
		public List<TerminalNode> OR() { return getTokens(HAProxyConditionParser.OR); }
		public TerminalNode OR(int i) {
			return getToken(HAProxyConditionParser.OR, i);
		}
		public OrExprContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_orExpr; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitOrExpr(this);
			else return visitor.visitChildren(this);
		}
	}

	public final OrExprContext orExpr() throws RecognitionException {
		OrExprContext _localctx = new OrExprContext(_ctx, getState());
		enterRule(_localctx, 2, RULE_orExpr);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(26);
			andExpr();
			setState(31);
			_errHandler.sync(this);
			_la = _input.LA(1);
			while (_la==OR) {
				{
				{
				setState(27);
				match(OR);
				setState(28);
				andExpr();
				}
				}
				setState(33);
				_errHandler.sync(this);
				_la = _input.LA(1);
			}
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class AndExprContext extends ParserRuleContext {
		public List<TermContext> term() {
			return getRuleContexts(TermContext.class);
		}
		public TermContext term(int i) {
			return getRuleContext(TermContext.class,i);
		}
		public TerminalNode NOT() { return getToken(HAProxyConditionParser.NOT, 0); }
		public AndExprContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_andExpr; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitAndExpr(this);
			else return visitor.visitChildren(this);
		}
	}

	public final AndExprContext andExpr() throws RecognitionException {
		AndExprContext _localctx = new AndExprContext(_ctx, getState());
		enterRule(_localctx, 4, RULE_andExpr);
		int _la;
		try {
			int _alt;
			enterOuterAlt(_localctx, 1);
			{
			setState(37);
			_errHandler.sync(this);
			_alt = getInterpreter().adaptivePredict(_input,1,_ctx);
			while ( _alt!=2 && _alt!=org.antlr.v4.runtime.atn.ATN.INVALID_ALT_NUMBER ) {
				if ( _alt==1 ) {
					{
					{
					setState(34);
					term();
					}
					} 
				}
				setState(39);
				_errHandler.sync(this);
				_alt = getInterpreter().adaptivePredict(_input,1,_ctx);
			}
			setState(41);
			_errHandler.sync(this);
			_la = _input.LA(1);
			if (_la==NOT) {
				{
				setState(40);
				match(NOT);
				}
			}

			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class TermContext extends ParserRuleContext {
		public AclNameContext aclName() {
			return getRuleContext(AclNameContext.class,0);
		}
		public AnonymousContext anonymous() {
			return getRuleContext(AnonymousContext.class,0);
		}
		public TerminalNode NOT() { return getToken(HAProxyConditionParser.NOT, 0); }
		public TermContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_term; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitTerm(this);
			else return visitor.visitChildren(this);
		}
	}

	public final TermContext term() throws RecognitionException {
		TermContext _localctx = new TermContext(_ctx, getState());
		enterRule(_localctx, 6, RULE_term);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(44);
			_errHandler.sync(this);
			_la = _input.LA(1);
			if (_la==NOT) {
				{
				setState(43);
				match(NOT);
				}
			}

			setState(48);
			_errHandler.sync(this);
			switch (_input.LA(1)) {
			case RBRACE:
			case WORD:
				{
				setState(46);
				aclName();
				}
				break;
			case LBRACE:
				{
				setState(47);
				anonymous();
				}
				break;
			default:
				throw new NoViableAltException(this);
			}
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class AclNameContext extends ParserRuleContext {
		public TerminalNode WORD() { return getToken(HAProxyConditionParser.WORD, 0); }
		public TerminalNode RBRACE() { return getToken(HAProxyConditionParser.RBRACE, 0); }
		public AclNameContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_aclName; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitAclName(this);
			else return visitor.visitChildren(this);
		}
	}

	public final AclNameContext aclName() throws RecognitionException {
		AclNameContext _localctx = new AclNameContext(_ctx, getState());
		enterRule(_localctx, 8, RULE_aclName);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(50);
			_la = _input.LA(1);
			if ( !(_la==RBRACE || _la==WORD) ) {
			_errHandler.recoverInline(this);
			}
			else {
				if ( _input.LA(1)==Token.EOF ) matchedEOF = true;
				_errHandler.reportMatch(this);
				consume();
			}
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class AnonymousContext extends ParserRuleContext {
		public TerminalNode LBRACE() { return getToken(HAProxyConditionParser.LBRACE, 0); }
		public TerminalNode RBRACE() { return getToken(HAProxyConditionParser.RBRACE, 0); }
		public List<ArgWordContext> argWord() {
			return getRuleContexts(ArgWordContext.class);
		}
		public ArgWordContext argWord(int i) {
			return getRuleContext(ArgWordContext.class,i);
		}
		public AnonymousContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_anonymous; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitAnonymous(this);
			else return visitor.visitChildren(this);
		}
	}

	public final AnonymousContext anonymous() throws RecognitionException {
		AnonymousContext _localctx = new AnonymousContext(_ctx, getState());
		enterRule(_localctx, 10, RULE_anonymous);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(52);
			match(LBRACE);
			setState(54); 
			_errHandler.sync(this);
			_la = _input.LA(1);
			do {
				{
				{
				setState(53);
				argWord();
				}
				}
				setState(56); 
				_errHandler.sync(this);
				_la = _input.LA(1);
			} while ( (((_la) & ~0x3f) == 0 && ((1L << _la) & 1854L) != 0) );
			setState(58);
			match(RBRACE);
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class ArgWordContext extends ParserRuleContext {
		public TerminalNode WORD() { return getToken(HAProxyConditionParser.WORD, 0); }
		public TerminalNode NOT() { return getToken(HAProxyConditionParser.NOT, 0); }
		public TerminalNode OR() { return getToken(HAProxyConditionParser.OR, 0); }
		public TerminalNode IF() { return getToken(HAProxyConditionParser.IF, 0); }
		public TerminalNode UNLESS() { return getToken(HAProxyConditionParser.UNLESS, 0); }
		public TerminalNode AND() { return getToken(HAProxyConditionParser.AND, 0); }
		public TerminalNode LPAREN() { return getToken(HAProxyConditionParser.LPAREN, 0); }
		public TerminalNode RPAREN() { return getToken(HAProxyConditionParser.RPAREN, 0); }
		public ArgWordContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_argWord; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitArgWord(this);
			else return visitor.visitChildren(this);
		}
	}

	public final ArgWordContext argWord() throws RecognitionException {
		ArgWordContext _localctx = new ArgWordContext(_ctx, getState());
		enterRule(_localctx, 12, RULE_argWord);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(60);
			_la = _input.LA(1);
			if ( !((((_la) & ~0x3f) == 0 && ((1L << _la) & 1854L) != 0)) ) {
			_errHandler.recoverInline(this);
			}
			else {
				if ( _input.LA(1)==Token.EOF ) matchedEOF = true;
				_errHandler.reportMatch(this);
				consume();
			}
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class PpConditionContext extends ParserRuleContext {
		public PpOrContext ppOr() {
			return getRuleContext(PpOrContext.class,0);
		}
		public TerminalNode EOF() { return getToken(HAProxyConditionParser.EOF, 0); }
		public PpConditionContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_ppCondition; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitPpCondition(this);
			else return visitor.visitChildren(this);
		}
	}

	public final PpConditionContext ppCondition() throws RecognitionException {
		PpConditionContext _localctx = new PpConditionContext(_ctx, getState());
		enterRule(_localctx, 14, RULE_ppCondition);
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(62);
			ppOr();
			setState(63);
			match(EOF);
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class PpOrContext extends ParserRuleContext {
		public List<PpAndContext> ppAnd() {
			return getRuleContexts(PpAndContext.class);
		}
		public PpAndContext ppAnd(int i) {
			return getRuleContext(PpAndContext.class,i);
		}
		public List<TerminalNode> OR() { return getTokens(HAProxyConditionParser.OR); }
		public TerminalNode OR(int i) {
			return getToken(HAProxyConditionParser.OR, i);
		}
		public PpOrContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_ppOr; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitPpOr(this);
			else return visitor.visitChildren(this);
		}
	}

	public final PpOrContext ppOr() throws RecognitionException {
		PpOrContext _localctx = new PpOrContext(_ctx, getState());
		enterRule(_localctx, 16, RULE_ppOr);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(65);
			ppAnd();
			setState(70);
			_errHandler.sync(this);
			_la = _input.LA(1);
			while (_la==OR) {
				{
				{
				setState(66);
				match(OR);
				setState(67);
				ppAnd();
				}
				}
				setState(72);
				_errHandler.sync(this);
				_la = _input.LA(1);
			}
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class PpAndContext extends ParserRuleContext {
		public List<PpUnaryContext> ppUnary() {
			return getRuleContexts(PpUnaryContext.class);
		}
		public PpUnaryContext ppUnary(int i) {
			return getRuleContext(PpUnaryContext.class,i);
		}
		public List<TerminalNode> AND() { return getTokens(HAProxyConditionParser.AND); }
		public TerminalNode AND(int i) {
			return getToken(HAProxyConditionParser.AND, i);
		}
		public PpAndContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_ppAnd; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitPpAnd(this);
			else return visitor.visitChildren(this);
		}
	}

	public final PpAndContext ppAnd() throws RecognitionException {
		PpAndContext _localctx = new PpAndContext(_ctx, getState());
		enterRule(_localctx, 18, RULE_ppAnd);
		int _la;
		try {
			enterOuterAlt(_localctx, 1);
			{
			setState(73);
			ppUnary();
			setState(78);
			_errHandler.sync(this);
			_la = _input.LA(1);
			while (_la==AND) {
				{
				{
				setState(74);
				match(AND);
				setState(75);
				ppUnary();
				}
				}
				setState(80);
				_errHandler.sync(this);
				_la = _input.LA(1);
			}
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	@SuppressWarnings("CheckReturnValue")
	public static class PpUnaryContext extends ParserRuleContext {
		public TerminalNode NOT() { return getToken(HAProxyConditionParser.NOT, 0); }
		public PpUnaryContext ppUnary() {
			return getRuleContext(PpUnaryContext.class,0);
		}
		public TerminalNode LPAREN() { return getToken(HAProxyConditionParser.LPAREN, 0); }
		public PpOrContext ppOr() {
			return getRuleContext(PpOrContext.class,0);
		}
		public TerminalNode RPAREN() { return getToken(HAProxyConditionParser.RPAREN, 0); }
		public TerminalNode WORD() { return getToken(HAProxyConditionParser.WORD, 0); }
		public PpUnaryContext(ParserRuleContext parent, int invokingState) {
			super(parent, invokingState);
		}
		@Override public int getRuleIndex() { return RULE_ppUnary; }
		@Override
		public <T> T accept(ParseTreeVisitor<? extends T> visitor) {
			if ( visitor instanceof HAProxyConditionVisitor ) return ((HAProxyConditionVisitor<? extends T>)visitor).visitPpUnary(this);
			else return visitor.visitChildren(this);
		}
	}

	public final PpUnaryContext ppUnary() throws RecognitionException {
		PpUnaryContext _localctx = new PpUnaryContext(_ctx, getState());
		enterRule(_localctx, 20, RULE_ppUnary);
		try {
			setState(88);
			_errHandler.sync(this);
			switch (_input.LA(1)) {
			case NOT:
				enterOuterAlt(_localctx, 1);
				{
				setState(81);
				match(NOT);
				setState(82);
				ppUnary();
				}
				break;
			case LPAREN:
				enterOuterAlt(_localctx, 2);
				{
				setState(83);
				match(LPAREN);
				setState(84);
				ppOr();
				setState(85);
				match(RPAREN);
				}
				break;
			case WORD:
				enterOuterAlt(_localctx, 3);
				{
				setState(87);
				match(WORD);
				}
				break;
			default:
				throw new NoViableAltException(this);
			}
		}
		catch (RecognitionException re) {
			_localctx.exception = re;
			_errHandler.reportError(this, re);
			_errHandler.recover(this, re);
		}
		finally {
			exitRule();
		}
		return _localctx;
	}

	public static final String _serializedATN =
		"\u0004\u0001\n[\u0002\u0000\u0007\u0000\u0002\u0001\u0007\u0001\u0002"+
		"\u0002\u0007\u0002\u0002\u0003\u0007\u0003\u0002\u0004\u0007\u0004\u0002"+
		"\u0005\u0007\u0005\u0002\u0006\u0007\u0006\u0002\u0007\u0007\u0007\u0002"+
		"\b\u0007\b\u0002\t\u0007\t\u0002\n\u0007\n\u0001\u0000\u0001\u0000\u0001"+
		"\u0000\u0001\u0000\u0001\u0001\u0001\u0001\u0001\u0001\u0005\u0001\u001e"+
		"\b\u0001\n\u0001\f\u0001!\t\u0001\u0001\u0002\u0005\u0002$\b\u0002\n\u0002"+
		"\f\u0002\'\t\u0002\u0001\u0002\u0003\u0002*\b\u0002\u0001\u0003\u0003"+
		"\u0003-\b\u0003\u0001\u0003\u0001\u0003\u0003\u00031\b\u0003\u0001\u0004"+
		"\u0001\u0004\u0001\u0005\u0001\u0005\u0004\u00057\b\u0005\u000b\u0005"+
		"\f\u00058\u0001\u0005\u0001\u0005\u0001\u0006\u0001\u0006\u0001\u0007"+
		"\u0001\u0007\u0001\u0007\u0001\b\u0001\b\u0001\b\u0005\bE\b\b\n\b\f\b"+
		"H\t\b\u0001\t\u0001\t\u0001\t\u0005\tM\b\t\n\t\f\tP\t\t\u0001\n\u0001"+
		"\n\u0001\n\u0001\n\u0001\n\u0001\n\u0001\n\u0003\nY\b\n\u0001\n\u0000"+
		"\u0000\u000b\u0000\u0002\u0004\u0006\b\n\f\u000e\u0010\u0012\u0014\u0000"+
		"\u0003\u0001\u0000\u0001\u0002\u0002\u0000\u0007\u0007\n\n\u0002\u0000"+
		"\u0001\u0005\b\nY\u0000\u0016\u0001\u0000\u0000\u0000\u0002\u001a\u0001"+
		"\u0000\u0000\u0000\u0004%\u0001\u0000\u0000\u0000\u0006,\u0001\u0000\u0000"+
		"\u0000\b2\u0001\u0000\u0000\u0000\n4\u0001\u0000\u0000\u0000\f<\u0001"+
		"\u0000\u0000\u0000\u000e>\u0001\u0000\u0000\u0000\u0010A\u0001\u0000\u0000"+
		"\u0000\u0012I\u0001\u0000\u0000\u0000\u0014X\u0001\u0000\u0000\u0000\u0016"+
		"\u0017\u0007\u0000\u0000\u0000\u0017\u0018\u0003\u0002\u0001\u0000\u0018"+
		"\u0019\u0005\u0000\u0000\u0001\u0019\u0001\u0001\u0000\u0000\u0000\u001a"+
		"\u001f\u0003\u0004\u0002\u0000\u001b\u001c\u0005\u0003\u0000\u0000\u001c"+
		"\u001e\u0003\u0004\u0002\u0000\u001d\u001b\u0001\u0000\u0000\u0000\u001e"+
		"!\u0001\u0000\u0000\u0000\u001f\u001d\u0001\u0000\u0000\u0000\u001f \u0001"+
		"\u0000\u0000\u0000 \u0003\u0001\u0000\u0000\u0000!\u001f\u0001\u0000\u0000"+
		"\u0000\"$\u0003\u0006\u0003\u0000#\"\u0001\u0000\u0000\u0000$\'\u0001"+
		"\u0000\u0000\u0000%#\u0001\u0000\u0000\u0000%&\u0001\u0000\u0000\u0000"+
		"&)\u0001\u0000\u0000\u0000\'%\u0001\u0000\u0000\u0000(*\u0005\u0005\u0000"+
		"\u0000)(\u0001\u0000\u0000\u0000)*\u0001\u0000\u0000\u0000*\u0005\u0001"+
		"\u0000\u0000\u0000+-\u0005\u0005\u0000\u0000,+\u0001\u0000\u0000\u0000"+
		",-\u0001\u0000\u0000\u0000-0\u0001\u0000\u0000\u0000.1\u0003\b\u0004\u0000"+
		"/1\u0003\n\u0005\u00000.\u0001\u0000\u0000\u00000/\u0001\u0000\u0000\u0000"+
		"1\u0007\u0001\u0000\u0000\u000023\u0007\u0001\u0000\u00003\t\u0001\u0000"+
		"\u0000\u000046\u0005\u0006\u0000\u000057\u0003\f\u0006\u000065\u0001\u0000"+
		"\u0000\u000078\u0001\u0000\u0000\u000086\u0001\u0000\u0000\u000089\u0001"+
		"\u0000\u0000\u00009:\u0001\u0000\u0000\u0000:;\u0005\u0007\u0000\u0000"+
		";\u000b\u0001\u0000\u0000\u0000<=\u0007\u0002\u0000\u0000=\r\u0001\u0000"+
		"\u0000\u0000>?\u0003\u0010\b\u0000?@\u0005\u0000\u0000\u0001@\u000f\u0001"+
		"\u0000\u0000\u0000AF\u0003\u0012\t\u0000BC\u0005\u0003\u0000\u0000CE\u0003"+
		"\u0012\t\u0000DB\u0001\u0000\u0000\u0000EH\u0001\u0000\u0000\u0000FD\u0001"+
		"\u0000\u0000\u0000FG\u0001\u0000\u0000\u0000G\u0011\u0001\u0000\u0000"+
		"\u0000HF\u0001\u0000\u0000\u0000IN\u0003\u0014\n\u0000JK\u0005\u0004\u0000"+
		"\u0000KM\u0003\u0014\n\u0000LJ\u0001\u0000\u0000\u0000MP\u0001\u0000\u0000"+
		"\u0000NL\u0001\u0000\u0000\u0000NO\u0001\u0000\u0000\u0000O\u0013\u0001"+
		"\u0000\u0000\u0000PN\u0001\u0000\u0000\u0000QR\u0005\u0005\u0000\u0000"+
		"RY\u0003\u0014\n\u0000ST\u0005\b\u0000\u0000TU\u0003\u0010\b\u0000UV\u0005"+
		"\t\u0000\u0000VY\u0001\u0000\u0000\u0000WY\u0005\n\u0000\u0000XQ\u0001"+
		"\u0000\u0000\u0000XS\u0001\u0000\u0000\u0000XW\u0001\u0000\u0000\u0000"+
		"Y\u0015\u0001\u0000\u0000\u0000\t\u001f%),08FNX";
	public static final ATN _ATN =
		new ATNDeserializer().deserialize(_serializedATN.toCharArray());
	static {
		_decisionToDFA = new DFA[_ATN.getNumberOfDecisions()];
		for (int i = 0; i < _ATN.getNumberOfDecisions(); i++) {
			_decisionToDFA[i] = new DFA(_ATN.getDecisionState(i), i);
		}
	}
}