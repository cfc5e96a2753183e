package io.haquark.health;

/**
 * The outcome of one check, named as HAProxy's stats show it (check_status) with its
 * description (check_desc) and, for layer 7, the status code (check_code).
 */
public record CheckResult(String status, boolean passed, int code, String description, long durationMs) {

    static CheckResult l4ok(long ms) {
        return new CheckResult("L4OK", true, -1, "Layer4 check passed", ms);
    }

    static CheckResult l4con(String why, long ms) {
        return new CheckResult("L4CON", false, -1, "Layer4 connection problem" + (why == null ? "" : ", info: \"" + why + "\""), ms);
    }

    static CheckResult l4tout(String info, long ms) {
        return new CheckResult("L4TOUT", false, -1, "Layer4 timeout, info: \"" + info + "\"", ms);
    }

    static CheckResult l4tout(long ms) {
        return new CheckResult("L4TOUT", false, -1, "Layer4 timeout", ms);
    }

    static CheckResult l7ok(int code, long ms) {
        return new CheckResult("L7OK", true, code, "Layer7 check passed", ms);
    }

    /** A tcp-check whose rules all passed: HAProxy reports code 0 and "(tcp-check)". */
    static CheckResult tcpCheckOk(long ms) {
        return new CheckResult("L7OK", true, 0, "Layer7 check passed, info: \"(tcp-check)\"", ms);
    }

    static CheckResult l7okc(int code, long ms) {
        return new CheckResult("L7OKC", true, code, "Layer7 check conditionally passed", ms);
    }

    static CheckResult l7sts(int code, long ms) {
        return new CheckResult("L7STS", false, code, "Layer7 wrong status", ms);
    }

    /** A wrong status (or header): HAProxy reports the response's reason phrase as the info. */
    static CheckResult l7sts(int code, String info, long ms) {
        return new CheckResult("L7STS", false, code, "Layer7 wrong status, info: \"" + info + "\"", ms);
    }

    static CheckResult l7rsp(String why, long ms) {
        return new CheckResult("L7RSP", false, -1, "Layer7 invalid response" + (why == null ? "" : ", info: \"" + why + "\""), ms);
    }

    static CheckResult l7tout(String info, long ms) {
        return new CheckResult("L7TOUT", false, -1, "Layer7 timeout, info: \"" + info + "\"", ms);
    }

    static CheckResult l7tout(long ms) {
        return new CheckResult("L7TOUT", false, -1, "Layer7 timeout", ms);
    }

    static CheckResult l6ok(long ms) {
        return new CheckResult("L6OK", true, -1, "Layer6 check passed", ms);
    }

    static CheckResult l6rsp(String why, long ms) {
        return new CheckResult("L6RSP", false, -1, "Layer6 invalid response, info: \"" + why + "\"", ms);
    }

    static CheckResult l6rsp(long ms) {
        return new CheckResult("L6RSP", false, -1, "Layer6 invalid response", ms);
    }

    static CheckResult procOk(long ms) {
        return new CheckResult("PROCOK", true, 0, "External check passed", ms);
    }

    static CheckResult procErr(int exit, long ms) {
        return new CheckResult("PROCERR", false, exit, "External check error", ms);
    }

    static CheckResult procTimeout(long ms) {
        return new CheckResult("PROCTOUT", false, -1, "External check timeout", ms);
    }

    static CheckResult sockerr(String why, long ms) {
        return new CheckResult("SOCKERR", false, -1, "Socket error" + (why == null ? "" : ", info: \"" + why + "\""), ms);
    }

    private static final String INFO = ", info: \"";

    /** A description with its info: "Layer7 wrong status, info: \"OK\"" (just the name when info is empty). */
    static String describe(String name, String info) {
        return info == null || info.isEmpty() ? name : name + INFO + info + "\"";
    }

    /** The result's name in a description: the stats' check_desc ("Layer7 wrong status"). */
    public static String reasonOf(String description) {
        int i = description.indexOf(INFO);
        return i < 0 ? description : description.substring(0, i);
    }

    /** The info in a description, unquoted (the stats' last_chk), or null. */
    public static String infoOf(String description) {
        int i = description.indexOf(INFO);
        return i < 0 || !description.endsWith("\"") ? null : description.substring(i + INFO.length(), description.length() - 1);
    }

    /** ", reason: ..., code: N, info: \"...\", check duration: Nms" as HAProxy appends it to check logs. */
    String details() {
        StringBuilder sb = new StringBuilder(", reason: ").append(reasonOf(description));
        if (code >= 0) {
            sb.append(", code: ").append(code);
        }
        String info = infoOf(description);
        if (info != null) {
            sb.append(INFO).append(info).append('"');
        }
        // A result of health observing (durationMs -1) came from no check: no duration.
        return durationMs < 0 ? sb.toString() : sb.append(", check duration: ").append(durationMs).append("ms").toString();
    }
}
