package io.haquark.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.haquark.support.Syslog;
import io.haquark.support.Twin;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The MQTT converters (mqtt_is_valid, mqtt_field_value) on CONNECT and CONNACK packets of MQTT
 * 3.1, 3.1.1 and 5.0, valid and broken ones, read with req.payload by tcp-request content rules
 * and with res.payload by tcp-response content rules, compared field for field with HAProxy 2.6
 * (each value is logged). A packet sent in two parts makes the rules wait for the rest.
 */
class MqttTwinTest {

    /** Packets as hex, each with what it tries (built by hand from the MQTT specifications). */
    private static final List<String> PACKETS = List.of(
            "101400044d5154540402003c0008746573745f737562", // 3.1.1 CONNECT, id test_sub
            "101c00044d5154540442003c0008746573745f7375620006706173737764", // password without user name, 3.1.1
            "101d00044d5154540542003c000008746573745f7375620006706173737764", // the same in 5.0
            "300a0003612f6268656c6c6f", // PUBLISH
            "101700044d5154540502003c0224010008746573745f737562", // 5.0 CONNECT with a CONNACK-only property
            "101400044d515454040a003c0008746573745f737562", // will QoS without the will flag
            "101400044d5154540403003c0008746573745f737562", // reserved flag bit set
            "101400044d5154540302003c0008746573745f737562", // MQTT / version 3
            "101600064d51497364700402003c0008746573745f737562", // MQIsdp / version 4
            "20020200", // CONNACK with a reserved flag
            "20020105", // CONNACK, session present, reason 5
            "10ffffffff0100044d5154540402003c0008746573745f737562", // remaining length of 5 bytes
            "121400044d5154540402003c0008746573745f737562", // fixed header flags
            "101c00044d515454041e003c0008746573745f7375620002777400027770", // will QoS 3
            "102b00044d5154540506003c000008746573745f7375620d03000a746578742f706c61696e0002777400027770", // 5.0 will properties
            "101b00044d5154540502003c062100142100150008746573745f737562", // a property twice
            "2003000000", // 5.0 CONNACK without properties
            "820800010003612f6200", // SUBSCRIBE
            "102200044d5154540502003c0d150005534352414d16000201020008746573745f737562", // authentication method and data
            "20130000101200046369643113001e1f0003776879", // 5.0 CONNACK with properties
            "c000", // PINGREQ
            "e000", // DISCONNECT
            "100c00044d5154540400003c0000", // empty client identifier
            "101400044d5154540402ffff0008746573745f737562", // keep alive 65535
            "101500044d5154540502003c000008746573745f737562", // 5.0 CONNECT without properties
            "10130003464f4f0402003c0008746573745f737562", // protocol name FOO
            "101400044d5154540602003c0008746573745f737562", // version 6
            "101c00044d5154540502003c07160004414200430008746573745f737562", // authentication data without a method
            "101c00044d5154540502003c072600016e0001760008746573745f737562", // user property
            "101900044d5154540502003c04190117000008746573745f737562", // request response/problem information
            "101600044d5154540482003c0008746573745f7375620000", // empty user name
            "101700044d5154540502003c020b010008746573745f737562", // a PUBLISH property in CONNECT
            "101500044d5154540402003c0008746573745f73756200", // a byte left inside the packet
            "101400044d5154540402003c0008746573745f737562ffff", // bytes after the packet
            "101400044d5154540402003c000874657374a5f73756", // not UTF-8
            "102400064d514973647003c200000008746573745f7375620004746573740006706173737764", // MQTT 3.1
            // The reg-test's 5.0 CONNECT with will, user name, password and properties.
            "107e00044d51545405ee003c182700000014170126000161000162260001630001642100140008746573745f7375622a03000a746578742f706c61696e08000c77696c6c727370746f7069632600016500016626000167000168000977696c6c746f706963000b77696c6c7061796c6f61640004746573740006706173737764",
            "20250000221100000078217fff24012501270000ffff22000a2600016100016226000163000164"); // its CONNACK

    private static final List<String> FIELDS = List.of("connect,flags", "connect,protocol_name", "connect,protocol_version",
            "connect,keepalive", "connect,client_identifier", "connect,will_topic", "connect,will_payload", "connect,username",
            "connect,password", "connect,17", "connect,23", "connect,25", "connect,33", "connect,39", "connect,24",
            "connect,1", "connect,3", "connect,8", "connect,21", "connect,22", "connect,38", "connack,flags",
            "connack,protocol_version", "connack,reason_code", "connack,17", "connack,18", "connack,19", "connack,33",
            "connack,36", "connack,37", "connack,40", "1,client_identifier", "publish,1");

    private static String config() {
        StringBuilder rules = new StringBuilder();
        StringBuilder format = new StringBuilder("v=%[var(sess.v)]");
        for (int i = 0; i < FIELDS.size(); i++) {
            rules.append("  tcp-request content set-var(sess.f").append(i).append(") req.payload(0,0),mqtt_field_value(")
                    .append(FIELDS.get(i)).append("),hex\n");
            format.append(' ').append(FIELDS.get(i)).append("=%[var(sess.f").append(i).append(")]");
        }
        return """
                global
                  log 127.0.0.1:@LOG@ local0
                defaults
                  mode tcp
                  log global
                  timeout connect 1s
                  timeout client 3s
                  timeout server 3s
                frontend f
                  bind 127.0.0.1:@FE@
                  tcp-request inspect-delay 2s
                  tcp-request content set-var(sess.v) int(1) if { req.payload(0,0),mqtt_is_valid -m found }
                  tcp-request content set-var(sess.v) req.payload(0,0),mqtt_is_valid
                %s  tcp-request content reject
                  log-format "%s"
                  default_backend none
                backend none
                  server s 127.0.0.1:1
                frontend r
                  bind 127.0.0.1:@RES@
                  no log
                  default_backend broker
                backend broker
                  tcp-response inspect-delay 2s
                  tcp-response content reject unless { res.payload(0,0),mqtt_is_valid }
                  tcp-response content set-var(sess.ver) res.payload(0,0),mqtt_field_value(connack,protocol_version)
                  tcp-response content set-var(sess.p17) res.payload(0,0),mqtt_field_value(connack,17)
                  tcp-response content reject if { var(sess.ver) -m str 5 } !{ var(sess.p17) -m str 120 }
                  server b 127.0.0.1:%s
                """.formatted(rules, format, "%BROKER%");
    }

    @Test
    void convertersReadPacketsAsHAProxy() throws Exception {
        try (ServerSocket broker = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread answers = new Thread(() -> serveConnacks(broker), "mqtt-broker");
            answers.setDaemon(true);
            answers.start();
            try (Twin twin = Twin.start(config().replace("%BROKER%", Integer.toString(broker.getLocalPort())))) {
                List<List<String>> seen = new ArrayList<>();
                for (int i = 0; i < twin.ports().size(); i++) {
                    int port = twin.ports().get(i);
                    Map<String, Integer> extra = port == twin.haquarkPort ? twin.haquarkExtra : twin.haproxyExtra;
                    List<String> out = new ArrayList<>();
                    try (DatagramSocket log = new DatagramSocket(extra.get("LOG"), InetAddress.getLoopbackAddress())) {
                        for (String hex : PACKETS) {
                            send(port, List.of(HexFormat.of().parseHex(hex)));
                            out.add(hex.substring(0, Math.min(12, hex.length())) + " " + String.join(" | ", Syslog.drain(log, 1)));
                        }
                        // One packet in two parts: the rules wait for the rest, then find it valid.
                        byte[] whole = HexFormat.of().parseHex(PACKETS.get(0));
                        send(port, List.of(java.util.Arrays.copyOf(whole, 9), java.util.Arrays.copyOfRange(whole, 9, whole.length)));
                        out.add("split " + String.join(" | ", Syslog.drain(log, 1)));
                        // Through a broker: the CONNACKs the response rules accept reach the client;
                        // a broken one, or a 5.0 one whose session expiry is not 120, closes the stream.
                        for (int k = 0; k < 5; k++) {
                            out.add("broker " + exchange(extra.get("RES")));
                        }
                    }
                    seen.add(out);
                }
                String ours = String.join("\n", seen.get(0));
                assertEquals(PACKETS.size() + 6, seen.get(0).size(), ours);
                String v5 = "got=20250000221100000078217fff24012501270000ffff22000a2600016100016226000163000164";
                assertEquals(List.of("broker got=20020000", "broker " + v5, "broker got=", "broker got=", "broker " + v5),
                        seen.get(0).subList(PACKETS.size() + 1, PACKETS.size() + 6), ours);
                if (seen.size() > 1) {
                    for (int k = 0; k < seen.get(0).size(); k++) {
                        assertEquals(seen.get(1).get(k), seen.get(0).get(k), "HAProxy vs haquark, line " + k + "\n" + ours);
                    }
                }
            }
        }
    }

    /**
     * The broker answers each CONNECT in turn with: a 3.1.1 CONNACK, a 5.0 one (session expiry
     * 120), one with bad flags, a 5.0 one with session expiry 60, and the first 5.0 one again in
     * two parts (the response rules wait for the second).
     */
    private static void serveConnacks(ServerSocket broker) {
        String v5 = "20250000221100000078217fff24012501270000ffff22000a2600016100016226000163000164";
        List<String> answers = List.of("20020000", v5, "21020000", v5.replace("1100000078", "110000003c"), v5);
        int n = 0;
        while (!broker.isClosed()) {
            try (Socket c = broker.accept()) {
                c.setSoTimeout(3000);
                c.getInputStream().readNBytes(2);
                OutputStream out = c.getOutputStream();
                byte[] answer = HexFormat.of().parseHex(answers.get(n % answers.size()));
                if (n++ % answers.size() == 4) {
                    out.write(answer, 0, 7);
                    out.flush();
                    Thread.sleep(200);
                    out.write(answer, 7, answer.length - 7);
                } else {
                    out.write(answer);
                }
                out.flush();
                Thread.sleep(300);
            } catch (Exception e) {
                // next connection
            }
        }
    }

    /** A CONNECT through the broker frontend: the bytes that came back before the close, as hex. */
    private static String exchange(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(4000);
            s.getOutputStream().write(HexFormat.of().parseHex(PACKETS.get(0)));
            s.getOutputStream().flush();
            return "got=" + HexFormat.of().formatHex(s.getInputStream().readAllBytes());
        }
    }

    private static void send(int port, List<byte[]> parts) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(4000);
            for (int i = 0; i < parts.size(); i++) {
                if (i > 0) {
                    Thread.sleep(150);
                }
                s.getOutputStream().write(parts.get(i));
                s.getOutputStream().flush();
            }
            s.getInputStream().readAllBytes();     // the reject closes the connection
        }
    }
}
