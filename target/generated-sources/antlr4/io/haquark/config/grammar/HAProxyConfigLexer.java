// Generated from HAProxyConfig.g4 by ANTLR 4.13.2
package io.haquark.config.grammar;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.CharStream;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
import org.antlr.v4.runtime.*;
import org.antlr.v4.runtime.atn.*;
import org.antlr.v4.runtime.dfa.DFA;
import org.antlr.v4.runtime.misc.*;

@SuppressWarnings({"all", "warnings", "unchecked", "unused", "cast", "CheckReturnValue", "this-escape"})
public class HAProxyConfigLexer extends Lexer {
	static { RuntimeMetaData.checkVersion("4.13.2", RuntimeMetaData.VERSION); }

	protected static final DFA[] _decisionToDFA;
	protected static final PredictionContextCache _sharedContextCache =
		new PredictionContextCache();
	public static final int
		NL=1, WS=2, COMMENT=3, ESCAPE=4, WEAK_QUOTED=5, STRONG_QUOTED=6, ENV=7, 
		DOLLAR=8, UNTERMINATED=9, BARE=10;
	public static String[] channelNames = {
		"DEFAULT_TOKEN_CHANNEL", "HIDDEN"
	};

	public static String[] modeNames = {
		"DEFAULT_MODE"
	};

	private static String[] makeRuleNames() {
		return new String[] {
			"NL", "WS", "COMMENT", "ESCAPE", "WEAK_QUOTED", "STRONG_QUOTED", "ENV", 
			"DOLLAR", "UNTERMINATED", "BARE"
		};
	}
	public static final String[] ruleNames = makeRuleNames();

	private static String[] makeLiteralNames() {
		return new String[] {
			null, null, null, null, null, null, null, null, "'$'"
		};
	}
	private static final String[] _LITERAL_NAMES = makeLiteralNames();
	private static String[] makeSymbolicNames() {
		return new String[] {
			null, "NL", "WS", "COMMENT", "ESCAPE", "WEAK_QUOTED", "STRONG_QUOTED", 
			"ENV", "DOLLAR", "UNTERMINATED", "BARE"
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


	public HAProxyConfigLexer(CharStream input) {
		super(input);
		_interp = new LexerATNSimulator(this,_ATN,_decisionToDFA,_sharedContextCache);
	}

	@Override
	public String getGrammarFileName() { return "HAProxyConfig.g4"; }

	@Override
	public String[] getRuleNames() { return ruleNames; }

	@Override
	public String getSerializedATN() { return _serializedATN; }

	@Override
	public String[] getChannelNames() { return channelNames; }

	@Override
	public String[] getModeNames() { return modeNames; }

	@Override
	public ATN getATN() { return _ATN; }

	public static final String _serializedATN =
		"\u0004\u0000\no\u0006\uffff\uffff\u0002\u0000\u0007\u0000\u0002\u0001"+
		"\u0007\u0001\u0002\u0002\u0007\u0002\u0002\u0003\u0007\u0003\u0002\u0004"+
		"\u0007\u0004\u0002\u0005\u0007\u0005\u0002\u0006\u0007\u0006\u0002\u0007"+
		"\u0007\u0007\u0002\b\u0007\b\u0002\t\u0007\t\u0001\u0000\u0003\u0000\u0017"+
		"\b\u0000\u0001\u0000\u0001\u0000\u0001\u0001\u0004\u0001\u001c\b\u0001"+
		"\u000b\u0001\f\u0001\u001d\u0001\u0002\u0001\u0002\u0005\u0002\"\b\u0002"+
		"\n\u0002\f\u0002%\t\u0002\u0001\u0003\u0001\u0003\u0001\u0003\u0001\u0003"+
		"\u0001\u0003\u0001\u0003\u0001\u0003\u0001\u0003\u0003\u0003/\b\u0003"+
		"\u0001\u0004\u0001\u0004\u0001\u0004\u0001\u0004\u0005\u00045\b\u0004"+
		"\n\u0004\f\u00048\t\u0004\u0001\u0004\u0001\u0004\u0001\u0005\u0001\u0005"+
		"\u0005\u0005>\b\u0005\n\u0005\f\u0005A\t\u0005\u0001\u0005\u0001\u0005"+
		"\u0001\u0006\u0001\u0006\u0001\u0006\u0005\u0006H\b\u0006\n\u0006\f\u0006"+
		"K\t\u0006\u0001\u0006\u0001\u0006\u0001\u0006\u0005\u0006P\b\u0006\n\u0006"+
		"\f\u0006S\t\u0006\u0003\u0006U\b\u0006\u0001\u0007\u0001\u0007\u0001\b"+
		"\u0001\b\u0001\b\u0001\b\u0005\b]\b\b\n\b\f\b`\t\b\u0001\b\u0001\b\u0005"+
		"\bd\b\b\n\b\f\bg\t\b\u0003\bi\b\b\u0001\t\u0004\tl\b\t\u000b\t\f\tm\u0000"+
		"\u0000\n\u0001\u0001\u0003\u0002\u0005\u0003\u0007\u0004\t\u0005\u000b"+
		"\u0006\r\u0007\u000f\b\u0011\t\u0013\n\u0001\u0000\t\u0003\u0000\t\t\r"+
		"\r  \u0002\u0000\n\n\r\r\u0003\u000009AFaf\u0004\u0000\n\n\r\r\"\"\\\\"+
		"\u0003\u0000\n\n\r\r\'\'\u0003\u0000\n\n\r\r}}\u0003\u0000AZ__az\u0004"+
		"\u000009AZ__az\u0006\u0000\t\n\r\r  \"$\'\'\\\\~\u0000\u0001\u0001\u0000"+
		"\u0000\u0000\u0000\u0003\u0001\u0000\u0000\u0000\u0000\u0005\u0001\u0000"+
		"\u0000\u0000\u0000\u0007\u0001\u0000\u0000\u0000\u0000\t\u0001\u0000\u0000"+
		"\u0000\u0000\u000b\u0001\u0000\u0000\u0000\u0000\r\u0001\u0000\u0000\u0000"+
		"\u0000\u000f\u0001\u0000\u0000\u0000\u0000\u0011\u0001\u0000\u0000\u0000"+
		"\u0000\u0013\u0001\u0000\u0000\u0000\u0001\u0016\u0001\u0000\u0000\u0000"+
		"\u0003\u001b\u0001\u0000\u0000\u0000\u0005\u001f\u0001\u0000\u0000\u0000"+
		"\u0007.\u0001\u0000\u0000\u0000\t0\u0001\u0000\u0000\u0000\u000b;\u0001"+
		"\u0000\u0000\u0000\rD\u0001\u0000\u0000\u0000\u000fV\u0001\u0000\u0000"+
		"\u0000\u0011h\u0001\u0000\u0000\u0000\u0013k\u0001\u0000\u0000\u0000\u0015"+
		"\u0017\u0005\r\u0000\u0000\u0016\u0015\u0001\u0000\u0000\u0000\u0016\u0017"+
		"\u0001\u0000\u0000\u0000\u0017\u0018\u0001\u0000\u0000\u0000\u0018\u0019"+
		"\u0005\n\u0000\u0000\u0019\u0002\u0001\u0000\u0000\u0000\u001a\u001c\u0007"+
		"\u0000\u0000\u0000\u001b\u001a\u0001\u0000\u0000\u0000\u001c\u001d\u0001"+
		"\u0000\u0000\u0000\u001d\u001b\u0001\u0000\u0000\u0000\u001d\u001e\u0001"+
		"\u0000\u0000\u0000\u001e\u0004\u0001\u0000\u0000\u0000\u001f#\u0005#\u0000"+
		"\u0000 \"\b\u0001\u0000\u0000! \u0001\u0000\u0000\u0000\"%\u0001\u0000"+
		"\u0000\u0000#!\u0001\u0000\u0000\u0000#$\u0001\u0000\u0000\u0000$\u0006"+
		"\u0001\u0000\u0000\u0000%#\u0001\u0000\u0000\u0000&\'\u0005\\\u0000\u0000"+
		"\'(\u0005x\u0000\u0000()\u0001\u0000\u0000\u0000)*\u0007\u0002\u0000\u0000"+
		"*/\u0007\u0002\u0000\u0000+,\u0005\\\u0000\u0000,/\b\u0001\u0000\u0000"+
		"-/\u0005\\\u0000\u0000.&\u0001\u0000\u0000\u0000.+\u0001\u0000\u0000\u0000"+
		".-\u0001\u0000\u0000\u0000/\b\u0001\u0000\u0000\u000006\u0005\"\u0000"+
		"\u000012\u0005\\\u0000\u000025\b\u0001\u0000\u000035\b\u0003\u0000\u0000"+
		"41\u0001\u0000\u0000\u000043\u0001\u0000\u0000\u000058\u0001\u0000\u0000"+
		"\u000064\u0001\u0000\u0000\u000067\u0001\u0000\u0000\u000079\u0001\u0000"+
		"\u0000\u000086\u0001\u0000\u0000\u00009:\u0005\"\u0000\u0000:\n\u0001"+
		"\u0000\u0000\u0000;?\u0005\'\u0000\u0000<>\b\u0004\u0000\u0000=<\u0001"+
		"\u0000\u0000\u0000>A\u0001\u0000\u0000\u0000?=\u0001\u0000\u0000\u0000"+
		"?@\u0001\u0000\u0000\u0000@B\u0001\u0000\u0000\u0000A?\u0001\u0000\u0000"+
		"\u0000BC\u0005\'\u0000\u0000C\f\u0001\u0000\u0000\u0000DT\u0005$\u0000"+
		"\u0000EI\u0005{\u0000\u0000FH\b\u0005\u0000\u0000GF\u0001\u0000\u0000"+
		"\u0000HK\u0001\u0000\u0000\u0000IG\u0001\u0000\u0000\u0000IJ\u0001\u0000"+
		"\u0000\u0000JL\u0001\u0000\u0000\u0000KI\u0001\u0000\u0000\u0000LU\u0005"+
		"}\u0000\u0000MQ\u0007\u0006\u0000\u0000NP\u0007\u0007\u0000\u0000ON\u0001"+
		"\u0000\u0000\u0000PS\u0001\u0000\u0000\u0000QO\u0001\u0000\u0000\u0000"+
		"QR\u0001\u0000\u0000\u0000RU\u0001\u0000\u0000\u0000SQ\u0001\u0000\u0000"+
		"\u0000TE\u0001\u0000\u0000\u0000TM\u0001\u0000\u0000\u0000U\u000e\u0001"+
		"\u0000\u0000\u0000VW\u0005$\u0000\u0000W\u0010\u0001\u0000\u0000\u0000"+
		"X^\u0005\"\u0000\u0000YZ\u0005\\\u0000\u0000Z]\b\u0001\u0000\u0000[]\b"+
		"\u0003\u0000\u0000\\Y\u0001\u0000\u0000\u0000\\[\u0001\u0000\u0000\u0000"+
		"]`\u0001\u0000\u0000\u0000^\\\u0001\u0000\u0000\u0000^_\u0001\u0000\u0000"+
		"\u0000_i\u0001\u0000\u0000\u0000`^\u0001\u0000\u0000\u0000ae\u0005\'\u0000"+
		"\u0000bd\b\u0004\u0000\u0000cb\u0001\u0000\u0000\u0000dg\u0001\u0000\u0000"+
		"\u0000ec\u0001\u0000\u0000\u0000ef\u0001\u0000\u0000\u0000fi\u0001\u0000"+
		"\u0000\u0000ge\u0001\u0000\u0000\u0000hX\u0001\u0000\u0000\u0000ha\u0001"+
		"\u0000\u0000\u0000i\u0012\u0001\u0000\u0000\u0000jl\b\b\u0000\u0000kj"+
		"\u0001\u0000\u0000\u0000lm\u0001\u0000\u0000\u0000mk\u0001\u0000\u0000"+
		"\u0000mn\u0001\u0000\u0000\u0000n\u0014\u0001\u0000\u0000\u0000\u0010"+
		"\u0000\u0016\u001d#.46?IQT\\^ehm\u0000";
	public static final ATN _ATN =
		new ATNDeserializer().deserialize(_serializedATN.toCharArray());
	static {
		_decisionToDFA = new DFA[_ATN.getNumberOfDecisions()];
		for (int i = 0; i < _ATN.getNumberOfDecisions(); i++) {
			_decisionToDFA[i] = new DFA(_ATN.getDecisionState(i), i);
		}
	}
}