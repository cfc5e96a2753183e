package io.haquark.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The fetches and converters HAProxy 2.6's keyword list has and haquark lacked (issue 16): the
 * connection's own figures (fc_err, so_id, dst_conn ...), the header block in binary form, the
 * deprecated cookie fetches, FIX, protocol buffers and gRPC, JWT signatures, AES-GCM and XXH3,
 * each through both proxies on the same request and compared with HAProxy's answer.
 */
class ProtocolSamplesTwinTest {
    /** A FIX 4.2 logon (BeginString, BodyLength, MsgType ... CheckSum), as hex. */
    private static final String FIX = "383d4649582e342e3201393d36370133353d410133343d310134393d5345525645520135323d3230313930"
            + "3630342d31313a32323a33332e3434340135363d434c49454e540139383d30013130383d33300131303d31343901";
    /** Protocol buffer: 1 = varint 150, 2 = "testing", 3 = {1 = 5}, 4 = sint32 -3, 5 = fixed32 1. */
    private static final String PROTO = "089601120774657374696e671a02080520052d01000000";
    private static final String JWT_HS256 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0IiwibmFtZSI6IngifQ."
            + "-rr8Yv8omvmxj4etquGlXI58DHTVgyvMFJwWNrzETpU";
    private static final String JWT_ES256 = "eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxIn0."
            + "lpr3AMtmFnNAUiqGSXLmKv-SzgHZYL1rhnKusm2T6KMaac_r5po8g4tooH1DRtnJ5Q5M7L836aeVogJGekvKYA";
    private static final String ES_CERT = "-----BEGIN CERTIFICATE-----\n"
            + "MIIBBzCBr6ADAgECAgEBMAoGCCqGSM49BAMCMA4xDDAKBgNVBAMMA2p3dDAeFw0y\n"
            + "MDAxMDEwMDAwMDBaFw00MDAxMDEwMDAwMDBaMA4xDDAKBgNVBAMMA2p3dDBZMBMG\n"
            + "ByqGSM49AgEGCCqGSM49AwEHA0IABB0AgQxMGGuGWn/OBBPDUxcqmZjR9tMg6Hvr\n"
            + "AXGqNTYHW3kCFQSE+V/EtoYB05bp705A2qvuziRTPGMwSXIwBxgwCgYIKoZIzj0E\n"
            + "AwIDRwAwRAIgQMjo5oosez6DKu+orx3ol9e2tE+tngoDln8m3xUvzEICIHKnOntg\n"
            + "v+TggWgRIyBGpjhmvA1gKH1VWQrFgYY+UiAh\n"
            + "-----END CERTIFICATE-----\n";

    private static final String ES_KEY = "-----BEGIN PUBLIC KEY-----\n"
            + "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHQCBDEwYa4Zaf84EE8NTFyqZmNH2\n"
            + "0yDoe+sBcao1NgdbeQIVBIT5X8S2hgHTlunvTkDaq+7OJFM8YzBJcjAHGA==\n"
            + "-----END PUBLIC KEY-----\n";

    @Test
    void newFetchesAndConvertersAnswerAsHaproxy() throws Exception {
        Path cert = Files.createTempFile("jwt", ".pem");
        Files.writeString(cert, ES_CERT);
        Path key = Files.createTempFile("jwt", ".pub");
        Files.writeString(key, ES_KEY);
        String longText = "abcdefghijklmnopqrstuvwxyz0123456789".repeat(8);
        List<String> expressions = List.of(
                "fc_err", "fc_err_str", "fc_src_is_local", "fc_dst_is_local", "so_id", "dst_conn", "fc_unacked", "fc_sacked",
                "fc_lost", "fc_retrans", "prio_class", "prio_offset", "lat_ns_avg", "cpu_ns_tot",
                "req.hdrs_bin,hex", "cookie(c2)", "cook_val(n)", "req.body_param(b)", "req.body_param(B)", "req.body_param",
                "str(hello),xxh3", "str(hello),xxh3(5)", "str(" + longText + "),xxh3", "str(),xxh3",
                "bin(" + FIX + "),fix_is_valid", "bin(" + FIX + "),fix_tag_value(MsgType)", "bin(" + FIX + "),fix_tag_value(49)",
                "bin(" + FIX + "),fix_tag_value(CheckSum)", "bin(" + FIX.replace("5345525645", "5345525646") + "),fix_is_valid",
                "bin(" + PROTO + "),protobuf(1,int32)", "bin(" + PROTO + "),protobuf(2),hex", "bin(" + PROTO + "),protobuf(3.1,uint32)",
                "bin(" + PROTO + "),protobuf(4,sint32)", "bin(" + PROTO + "),protobuf(5,fixed32)", "bin(" + PROTO + "),protobuf(3),hex",
                "bin(0000000017" + PROTO + "),ungrpc(2),hex", "bin(0000000017" + PROTO + "),ungrpc(1,uint64)",
                "str(" + JWT_HS256 + "),jwt_verify(HS256,secret)", "str(" + JWT_HS256 + "),jwt_verify(HS256,wrong)",
                "str(" + JWT_HS256 + "),jwt_verify(none,x)", "str(" + JWT_ES256 + "),jwt_verify(ES256,/nonexistent.pem)", "str(abc),jwt_verify(HS256,secret)",
                "str(" + JWT_ES256 + "),jwt_verify(ES256," + key + ")", "str(" + JWT_HS256 + "),jwt_verify(ES256," + key + ")",
                "str(" + JWT_ES256 + "),jwt_verify(ES256," + cert + ")",
                "bin(fb09cba2093b803b39be05),aes_gcm_dec(128,AAECAwQFBgcICQoL,AAECAwQFBgcICQoLDA0ODw==,SbCF5jLkilmZu4QnEjVlbQ==)",
                "bin(fb09cba2093b803b39be06),aes_gcm_dec(128,AAECAwQFBgcICQoL,AAECAwQFBgcICQoLDA0ODw==,SbCF5jLkilmZu4QnEjVlbQ==),hex");
        String body = "a=1&B=two&b=three";
        String request = "POST /p HTTP/1.1\r\nHost: h\r\nCookie: c1=v1; c2=v2; n=42\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                + "Content-Length: " + body.length() + "\r\nConnection: close\r\n\r\n" + body;
        List<String> ours = SampleParityTwinTest.compare(expressions, "  http-request wait-for-body time 2s\n", request);
        assertEquals("1", ours.get(expressions.indexOf("bin(" + FIX + "),fix_is_valid")), ours.toString());
        assertEquals("1", ours.get(expressions.indexOf("str(" + JWT_ES256 + "),jwt_verify(ES256," + key + ")")), ours.toString());
        assertEquals("hello world", ours.get(expressions.size() - 2), ours.toString());
        Files.deleteIfExists(cert);
        Files.deleteIfExists(key);
    }
}
