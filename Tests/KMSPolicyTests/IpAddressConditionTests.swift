import Testing

@Suite("IP address condition operators")
struct IpAddressConditionTests {
    static let key = "aws:SourceIp"

    static let cases: [ConditionCase] = [
        ConditionCase("IpAddress", key, #""203.0.113.0/24""#, ["203.0.113.7"], true),
        ConditionCase("IpAddress", key, #""203.0.113.0/24""#, ["203.0.114.7"], false),
        ConditionCase("IpAddress", key, #""203.0.113.128/25""#, ["203.0.113.127"], false),
        ConditionCase("IpAddress", key, #""203.0.113.128/25""#, ["203.0.113.200"], true),
        ConditionCase("IpAddress", key, #""10.0.0.0/8""#, ["10.255.255.255"], true),
        ConditionCase("IpAddress", key, #""0.0.0.0/0""#, ["192.0.2.1"], true),
        ConditionCase("IpAddress", key, #""192.0.2.1""#, ["192.0.2.1"], true),
        ConditionCase("IpAddress", key, #""192.0.2.1""#, ["192.0.2.2"], false),
        ConditionCase("IpAddress", key, #""203.0.113.0/24""#, nil, false),
        ConditionCase("IpAddress", key, #""203.0.113.0/24""#, ["not an address"], false),
        ConditionCase("IpAddress", key, #"["192.0.2.0/24","203.0.113.0/24"]"#, ["203.0.113.9"], true),
        // IPv6, compressed and mixed forms, case-insensitive hex.
        ConditionCase("IpAddress", key, #""2001:DB8:1234:5678::/64""#, ["2001:db8:1234:5678:abcd::1"], true),
        ConditionCase("IpAddress", key, #""2001:DB8:1234:5678::/64""#, ["2001:db8:1234:5679::1"], false),
        ConditionCase("IpAddress", key, #""2001:db8::/32""#, ["2001:0db8:0000:0000:0000:0000:0000:0001"], true),
        ConditionCase("IpAddress", key, #""::1""#, ["::1"], true),
        ConditionCase("IpAddress", key, #""64:ff9b::/96""#, ["64:ff9b::192.0.2.33"], true),
        // An IPv4 address is not in an IPv6 range, but IPv4-mapped IPv6 is IPv4.
        ConditionCase("IpAddress", key, #""2001:db8::/32""#, ["192.0.2.1"], false),
        ConditionCase("IpAddress", key, #""192.0.2.0/24""#, ["::ffff:192.0.2.1"], true),
        ConditionCase("NotIpAddress", key, #""203.0.113.0/24""#, ["198.51.100.1"], true),
        ConditionCase("NotIpAddress", key, #""203.0.113.0/24""#, ["203.0.113.1"], false),
        ConditionCase("NotIpAddress", key, #"["192.0.2.0/24","203.0.113.0/24"]"#, ["203.0.113.1"], false),
        ConditionCase("NotIpAddress", key, #""203.0.113.0/24""#, nil, true),
        ConditionCase("NotIpAddress", key, #""203.0.113.0/24""#, ["garbage"], false),
        // Malformed ranges in a policy match nothing.
        ConditionCase("IpAddress", key, #""203.0.113.0/33""#, ["203.0.113.1"], false),
        ConditionCase("IpAddress", key, #""256.0.0.0/8""#, ["255.0.0.1"], false),
    ]

    @Test("IP address comparisons", arguments: cases)
    func ip(_ testCase: ConditionCase) throws { try testCase.check() }
}
