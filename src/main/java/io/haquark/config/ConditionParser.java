package io.haquark.config;

import io.haquark.config.grammar.HAProxyConditionParser;
import io.haquark.model.Condition;
import io.haquark.model.KeywordError;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CommonToken;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Reads {@code if|unless ...} word lists into a {@link Condition} with the
 * HAProxyCondition grammar. Words are classified into tokens here, because they were
 * already split and unquoted by the config grammar.
 */
public final class ConditionParser {

    private ConditionParser() {
    }

    /** @param words the words starting at "if" or "unless" */
    public static Condition parse(List<String> words) {
        List<Token> tokens = new ArrayList<>(words.size() + 1);
        int depth = 0;
        List<String> split = new ArrayList<>(words.size() + 2);
        int braces = 0;
        for (String w : words) {
            braces += w.equals("{") || w.equals("!{") ? 1 : w.equals("}") ? -1 : 0;
            boolean opening = w.equals("!{");
            // "!name" and "!{" are written without a blank as often as with one (outside braces only).
            if (w.length() > 1 && w.charAt(0) == '!' && (braces == 0 || opening)) {
                split.add("!");
                split.add(w.substring(1));
            } else {
                split.add(w);
            }
        }
        for (String w : split) {
            int type;
            if (depth > 0) {
                // Inside braces everything but the closing brace belongs to the anonymous ACL.
                type = w.equals("}") ? HAProxyConditionParser.RBRACE : HAProxyConditionParser.WORD;
            } else {
                type = switch (w) {
                    case "if" -> tokens.isEmpty() ? HAProxyConditionParser.IF : HAProxyConditionParser.WORD;
                    case "unless" -> tokens.isEmpty() ? HAProxyConditionParser.UNLESS : HAProxyConditionParser.WORD;
                    case "||", "or" -> HAProxyConditionParser.OR;
                    case "!" -> HAProxyConditionParser.NOT;
                    case "{" -> HAProxyConditionParser.LBRACE;
                    default -> HAProxyConditionParser.WORD;
                };
            }
            if (type == HAProxyConditionParser.LBRACE) {
                depth++;
            } else if (type == HAProxyConditionParser.RBRACE) {
                depth--;
            }
            CommonToken t = new CommonToken(type, w);
            tokens.add(t);
        }
        if (depth > 0) {
            throw new KeywordError("missing closing '}' in condition.");
        }
        HAProxyConditionParser parser = parser(tokens);
        HAProxyConditionParser.ConditionContext tree = parser.condition();
        boolean unless = tree.UNLESS() != null;
        List<List<Condition.Term>> alternatives = new ArrayList<>();
        for (HAProxyConditionParser.AndExprContext and : tree.orExpr().andExpr()) {
            List<Condition.Term> terms = new ArrayList<>();
            for (HAProxyConditionParser.TermContext term : and.term()) {
                boolean neg = term.NOT() != null;
                if (term.anonymous() != null) {
                    List<String> anon = term.anonymous().argWord().stream().map(a -> a.getText()).toList();
                    terms.add(new Condition.Term(neg, null, anon));
                } else {
                    terms.add(new Condition.Term(neg, term.aclName().getText(), null));
                }
            }
            if (!terms.isEmpty()) {
                alternatives.add(terms);
            }
        }
        return new Condition(unless, alternatives);
    }

    static HAProxyConditionParser parser(List<Token> tokens) {
        CommonToken eof = new CommonToken(Token.EOF, "<EOF>");
        tokens.add(eof);
        HAProxyConditionParser parser = new HAProxyConditionParser(new CommonTokenStream(new ListTokenSource(tokens)));
        parser.removeErrorListeners();
        parser.addErrorListener(new BaseErrorListener() {
            @Override
            public void syntaxError(Recognizer<?, ?> r, Object sym, int line, int col, String msg, RecognitionException e) {
                String near = sym instanceof Token t ? t.getText() : "?";
                throw new KeywordError("unexpected '" + near + "' in condition.");
            }
        });
        return parser;
    }
}
