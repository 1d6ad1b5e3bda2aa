// Tests for validation.ts: name, value, IP and CIDR rules with upstream's exact messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  isCIdentifier,
  isConfigMapKey,
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isDNS1123SubdomainWithUnderscore,
  isDomainPrefixedPath,
  isEnvVarName,
  isFullyQualifiedDomainName,
  isFullyQualifiedName,
  isHTTPHeaderName,
  isInRange,
  isPathSegmentName,
  isPathSegmentPrefix,
  isQualifiedName,
  isRelaxedEnvVarName,
  isValidCIDR,
  isValidCIDRForLegacyField,
  isValidGroupID,
  isValidIP,
  isValidIPForLegacyField,
  isValidLabelValue,
  isValidPercent,
  isValidPortName,
  isValidPortNum,
  isValidUserID,
  isWildcardDNS1123Subdomain,
} from './validation.ts';

const a = (n: number) => 'a'.repeat(n);

test('name rules accept and reject the same values as upstream', () => {
  const cases: [string, (s: string) => string[], string[], string[]][] = [
    [
      'isDNS1123Label',
      isDNS1123Label,
      ['a', 'ab', 'a-1', 'a--1--2--b', '0', '012', '1-a', a(63)],
      ['', 'A', 'aBc', '-', 'a-', '-a', '_', 'a_b', '.', 'a.b', ' ', 'a b', a(64)],
    ],
    [
      'isDNS1123Subdomain',
      isDNS1123Subdomain,
      ['a', 'a-1', '0', 'a.a', 'a--1--2--b.1', '0.1', 'a.b.c.d.e', '1.2.3.4.5', a(253)],
      ['', 'A', '-', 'a-', '_', '.', 'a.', '.a', 'a..b', 'a b', 'A.a', 'ab.A', 'a@b', 'a,b', 'a:b', 'a%b', a(254)],
    ],
    [
      'isDNS1035Label',
      isDNS1035Label,
      ['a', 'ab', 'a1', 'a-1', 'a--1--2--b', a(63)],
      ['0', '01', '1a', '1-a', '', 'A', '-', 'a-', 'a_b', 'a.b', 'a b', a(64)],
    ],
    [
      'isQualifiedName',
      isQualifiedName,
      [
        'simple', 'now-with-dashes', '1-starts-with-num', '1234', 'simple/simple', 'now.with.dots/simple',
        '1.2.3.4/5678', 'Uppercase_Is_OK_123', 'example.com/Uppercase_Is_OK_123', 'requests.storage-foo', a(63),
        `${a(253)}/${'b'.repeat(63)}`,
      ],
      [
        'nospecialchars%^=@', 'cantendwithadash-', '-cantstartwithadash-', 'only/one/slash', 'Example.com/abc',
        'example_com/abc', 'example.com/', '/simple', a(64), `${a(254)}/abc`,
      ],
    ],
    [
      'isValidLabelValue',
      isValidLabelValue,
      ['simple', 'now-with-dashes', '1-starts-with-num', 'end-with-num-1', '1234', a(63), ''],
      ['nospecialchars%^=@', 'Tama-nui-te-rā.is.Māori.sun', '\\backslashes\\are\\bad', '-starts-with-dash', 'ends-with-dash-', '.starts.with.dot', 'ends.with.dot.', a(64)],
    ],
    [
      'isValidPortName',
      isValidPortName,
      ['telnet', 're-mail-ck', 'pop3', 'a', 'a-1', '1-a', 'a-1-b-2-c', '1-a-2-b-3'],
      ['longerthan15characters', '', a(16), '12345', '1-2-3-4', '-begin', 'end-', 'two--hyphens', 'whois++'],
    ],
    [
      'isConfigMapKey',
      isConfigMapKey,
      ['a', 'good', 'good-good', 'still.good', 'this.is.also.good', '.so.is.this', 'THIS_IS_GOOD', 'so_is_this_17'],
      ['.', '..', '..bad', 'b*d', 'bad!&bad', a(254)],
    ],
    ['isCIdentifier', isCIdentifier, ['a', '_a', 'A_1', 'my_name'], ['', '1a', 'a-b', 'a.b', 'a b']],
    ['isEnvVarName', isEnvVarName, ['A', 'my.env-name', 'MY_ENV.NAME', 'MyEnvName1', '-x', '.a'], ['', '1A', 'A B', 'A=B', '.', '..', '..a']],
    ['isRelaxedEnvVarName', isRelaxedEnvVarName, ['A', '1A', 'A B', '$%', '~'], ['', 'A=B', 'é', '\t', '\x7f']],
    ['isHTTPHeaderName', isHTTPHeaderName, ['X-Header-Name', 'a', '1'], ['', 'X_Header', 'X Header', 'X:Y']],
    ['isValidPercent', isValidPercent, ['0%', '1%', '100%', '93%'], ['', '%', '1', '1.5%', '-1%', '1%%']],
    ['isWildcardDNS1123Subdomain', isWildcardDNS1123Subdomain, ['*.example.com', '*.a'], ['example.com', '*', '*.*.a', 'a.*.com', '*a.com']],
    ['isDNS1123SubdomainWithUnderscore', isDNS1123SubdomainWithUnderscore, ['_a', '_a._b', 'a_b', 'a.b_c'], ['', '__a', 'a_', '_', 'A']],
    ['isPathSegmentName', isPathSegmentName, ['a', 'A b', '...', '.a'], ['.', '..', 'a/b', 'a%b']],
  ];
  for (const [name, fn, good, bad] of cases) {
    for (const v of good) assert.deepEqual(fn(v), [], `${name}(${JSON.stringify(v)})`);
    for (const v of bad) assert.notDeepEqual(fn(v), [], `${name}(${JSON.stringify(v)})`);
  }
});

test('name rules return upstream messages exactly', () => {
  const subdomainRegex =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const labelRegex =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  const nameRegex =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const cases: [string, string[], string[]][] = [
    ['isDNS1123Subdomain("A")', isDNS1123Subdomain('A'), [subdomainRegex]],
    ['isDNS1123Subdomain(254)', isDNS1123Subdomain(a(254)), ['must be no more than 253 characters']],
    ['isDNS1123Subdomain(254 bad)', isDNS1123Subdomain(`${a(253)}-`), ['must be no more than 253 characters', subdomainRegex]],
    ['isDNS1123Label("a.b")', isDNS1123Label('a.b'), ['must not contain dots']],
    ['isDNS1123Label("A")', isDNS1123Label('A'), [labelRegex]],
    ['isDNS1123Label(64)', isDNS1123Label(a(64)), ['must be no more than 63 characters']],
    [
      'isDNS1035Label("1a")',
      isDNS1035Label('1a'),
      [
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
      ],
    ],
    ['isQualifiedName("")', isQualifiedName(''), ['name part must be non-empty', nameRegex]],
    ['isQualifiedName("a-")', isQualifiedName('a-'), [nameRegex]],
    // 1.33 says "characters" for label keys and values too (content.MaxLenError's "bytes" came in 1.34)
    ['isQualifiedName(64)', isQualifiedName(a(64)), ['name part must be no more than 63 characters']],
    ['isQualifiedName("/a")', isQualifiedName('/a'), ['prefix part must be non-empty']],
    [
      'isQualifiedName("Example.com/a")',
      isQualifiedName('Example.com/a'),
      [`prefix part ${subdomainRegex}`],
    ],
    ['isQualifiedName(long prefix)', isQualifiedName(`${a(254)}/a`), ['prefix part must be no more than 253 characters']],
    [
      'isQualifiedName("a/b/c")',
      isQualifiedName('a/b/c'),
      [
        "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
      ],
    ],
    ['isValidLabelValue(64)', isValidLabelValue(a(64)), ['must be no more than 63 characters']],
    [
      'isValidLabelValue("a b")',
      isValidLabelValue('a b'),
      [
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
      ],
    ],
    [
      // 1.33 quotes the plain subdomain regex in this message (fixed in 1.34)
      'isDNS1123SubdomainWithUnderscore("A")',
      isDNS1123SubdomainWithUnderscore('A'),
      [
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
      ],
    ],
    [
      'isValidPortName("12345")',
      isValidPortName('12345'),
      ['must contain at least one letter (a-z)'],
    ],
    [
      'isValidPortName("-A--")',
      isValidPortName('-A--'),
      [
        'must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)',
        'must contain at least one letter (a-z)',
        'must not contain consecutive hyphens',
        'must not begin or end with a hyphen',
      ],
    ],
    ['isValidPortName(16)', isValidPortName(a(16)), ['must be no more than 15 characters']],
    [
      'isConfigMapKey("..")',
      isConfigMapKey('..'),
      ["must not be '..'"],
    ],
    [
      'isConfigMapKey("a b")',
      isConfigMapKey('a b'),
      [
        "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
      ],
    ],
    [
      'isEnvVarName("1A")',
      isEnvVarName('1A'),
      [
        "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
      ],
    ],
    ['isEnvVarName("..a")', isEnvVarName('..a'), ["must not start with '..'"]],
    [
      'isRelaxedEnvVarName("")',
      isRelaxedEnvVarName(''),
      ['environment variable name must be non-empty'],
    ],
    [
      'isCIdentifier("1")',
      isCIdentifier('1'),
      [
        "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_' (e.g. 'my_name',  or 'MY_NAME',  or 'MyName', regex used for validation is '[A-Za-z_][A-Za-z0-9_]*')",
      ],
    ],
    [
      'isHTTPHeaderName("a b")',
      isHTTPHeaderName('a b'),
      ["a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"],
    ],
    [
      'isValidPercent("1")',
      isValidPercent('1'),
      ["a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"],
    ],
    ['isPathSegmentName("..")', isPathSegmentName('..'), ["may not be '..'"]],
    ['isPathSegmentPrefix("a/%")', isPathSegmentPrefix('a/%'), ["may not contain '/'", "may not contain '%'"]],
    // lengths are bytes, as Go's len(), though the message says characters
    ['isValidLabelValue(multibyte)', isValidLabelValue('é'.repeat(32)).slice(0, 1), ['must be no more than 63 characters']],
    ['isQualifiedName(multibyte)', isQualifiedName('é'.repeat(32)).slice(0, 1), ['name part must be no more than 63 characters']],
  ];
  for (const [name, got, want] of cases) assert.deepEqual(got, want, name);
});

test('numeric rules', () => {
  const cases: [string, string[], string[]][] = [
    ['port 1', isValidPortNum(1), []],
    ['port 65535', isValidPortNum(65535), []],
    ['port 0', isValidPortNum(0), ['must be between 1 and 65535, inclusive']],
    ['port 65536', isValidPortNum(65536), ['must be between 1 and 65535, inclusive']],
    ['range', isInRange(5, 1, 4), ['must be between 1 and 4, inclusive']],
    ['range ok', isInRange(4, 1, 4), []],
    ['uid', isValidUserID(-1), ['must be between 0 and 2147483647, inclusive']],
    ['uid ok', isValidUserID(2147483647), []],
    ['gid', isValidGroupID(2147483648), ['must be between 0 and 2147483647, inclusive']],
  ];
  for (const [name, got, want] of cases) assert.deepEqual(got, want, name);
});

test('domain names and prefixed paths', () => {
  const msgs = (errs: { message(): string }[]) => errs.map((e) => e.message());
  const cases: [string, string[], string[]][] = [
    ['fqdn ok', msgs(isFullyQualifiedDomainName('f', 'a.example.com.')), []],
    ['fqdn empty', msgs(isFullyQualifiedDomainName('f', '')), ['f: Required value']],
    ['fqdn one label', msgs(isFullyQualifiedDomainName('f', 'com')), ['f: Invalid value: "com": should be a domain with at least two segments separated by dots']],
    ['fqn two labels', msgs(isFullyQualifiedName('f', 'example.com')), ['f: Invalid value: "example.com": should be a domain with at least three segments separated by dots']],
    ['fqn ok', msgs(isFullyQualifiedName('f', 'a.example.com')), []],
    ['prefixed path ok', msgs(isDomainPrefixedPath('f', 'acme.io/foo/bar~')), []],
    ['prefixed path no slash', msgs(isDomainPrefixedPath('f', 'acme.io')), ['f: Invalid value: "acme.io": must be a domain-prefixed path (such as "acme.io/foo")']],
    [
      'prefixed path bad path',
      msgs(isDomainPrefixedPath('f', 'acme.io/a b')),
      ["f: Invalid value: \"a b\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')"],
    ],
  ];
  for (const [name, got, want] of cases) assert.deepEqual(got, want, name);
});

// [input, strict error, legacy (sloppy) error, legacy strict error]: upstream's ip_test.go table.
const ipCases: [string, string, string, string][] = [
    ["1.2.3.4", "", "", ""],
    ["0.0.0.0", "", "", ""],
    ["255.255.255.255", "", "", ""],
    ["1234::abcd", "", "", ""],
    ["::", "", "", ""],
    ["ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "", "", ""],
    ["0:0:0:0:0:0:0:0", "must be in canonical form (\"::\")", "", ""],
    ["0001:002:03:4::", "must be in canonical form (\"1:2:3:4::\")", "", ""],
    ["1234::ABCD", "must be in canonical form (\"1234::abcd\")", "", ""],
    ["1.1.1.01", "must not have leading 0s", "", "must not have leading 0s"],
    ["::ffff:1.1.1.1", "must not be an IPv4-mapped IPv6 address", "", "must not be an IPv4-mapped IPv6 address"],
    ["", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["aaaaaaa", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["myhost.mydomain", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["1.2.3.0/24", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["1.2.3.400", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["-1.0.0.0", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["2001:db8::10005", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["1.2.3.4:80", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["[2001:db8::1]", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["[2001:db8::1]:80", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["example.com:80", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["1234::abcd%eth0", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
    ["169.254.0.0%eth0", "must be a valid IP address", "must be a valid IP address", "must be a valid IP address"],
];

test('isValidIP and isValidIPForLegacyField follow upstream', () => {
  const bad = ipCases.filter(([, , , strictErr]) => strictErr !== '').map(([v]) => v);
  for (const [value, err, legacyErr, legacyStrictErr] of ipCases) {
    const check = (errs: { detail: string }[], want: string, what: string) => {
      if (want === '') assert.deepEqual(errs, [], `${what}(${JSON.stringify(value)})`);
      else {
        assert.equal(errs.length, 1, `${what}(${JSON.stringify(value)})`);
        assert.ok(errs[0].detail.includes(want), `${what}(${JSON.stringify(value)}): ${errs[0].detail}`);
      }
    };
    check(isValidIP('f', value), err, 'isValidIP');
    check(isValidIPForLegacyField('f', value, false), legacyErr, 'legacy');
    check(isValidIPForLegacyField('f', value, true), legacyStrictErr, 'legacyStrict');
    assert.deepEqual(isValidIPForLegacyField('f', value, true, bad), [], `old value ${value}`);
  }
  assert.equal(
    isValidIP('spec.clusterIP', '0:0:0:0:0:0:0:0')[0].message(),
    'spec.clusterIP: Invalid value: "0:0:0:0:0:0:0:0": must be in canonical form ("::")',
  );
  const canonical: [string, string][] = [
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['1:0:1:0:1:0:1:0', '1:0:1:0:1:0:1:0'],
    ['::1:2:3:4:5:6:7', '0:1:2:3:4:5:6:7'],
  ];
  for (const [input, want] of canonical) {
    const errs = isValidIP('f', input);
    const got = errs.length ? /\("(.*)"\)/.exec(errs[0].detail)![1] : input;
    assert.equal(got, want, input);
  }
});

// [input, strict error, legacy (sloppy) error, legacy strict error]: upstream's ip_test.go table.
const cidrCases: [string, string, string, string][] = [
    ["1.0.0.0/8", "", "", ""],
    ["0.0.0.0/0", "", "", ""],
    ["1.1.1.1/32", "", "", ""],
    ["2001:4860:4860::/48", "", "", ""],
    ["::/0", "", "", ""],
    ["::1/128", "", "", ""],
    ["2a00:79e0:2:0::/64", "must be in canonical form (\"2a00:79e0:2::/64\")", "", ""],
    ["2001:DB8::/64", "must be in canonical form (\"2001:db8::/64\")", "", ""],
    ["1.1.01.0/24", "must not have leading 0s in IP", "", "must not have leading 0s in IP"],
    ["::ffff:1.1.1.0/24", "must not have an IPv4-mapped IPv6 address", "", "must not have an IPv4-mapped IPv6 address"],
    ["::ffff:1.1.1.0/120", "must not have an IPv4-mapped IPv6 address", "", "must not have an IPv4-mapped IPv6 address"],
    ["1.2.3.4/24", "must not have bits set beyond the prefix length", "", "must not have bits set beyond the prefix length"],
    ["2001:db8::1/64", "must not have bits set beyond the prefix length", "", "must not have bits set beyond the prefix length"],
    ["192.168.0.0/016", "must not have leading 0s", "", "must not have leading 0s"],
    ["", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
    ["aaaaaaa", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
    ["1.2.3.4", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
    ["192.168.0.1/healthz", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
    ["192.168.0.1/0/99", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
    ["192.168.0.0/-16", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
    ["192.168.0.0/+16", "must be a valid CIDR value", "must be a valid CIDR value", "must be a valid CIDR value"],
];

test('isValidCIDR and isValidCIDRForLegacyField follow upstream', () => {
  const bad = cidrCases.filter(([, , , strictErr]) => strictErr !== '').map(([v]) => v);
  for (const [value, err, legacyErr, legacyStrictErr] of cidrCases) {
    const check = (errs: { detail: string }[], want: string, what: string) => {
      if (want === '') assert.deepEqual(errs, [], `${what}(${JSON.stringify(value)})`);
      else {
        assert.equal(errs.length, 1, `${what}(${JSON.stringify(value)})`);
        assert.ok(errs[0].detail.includes(want), `${what}(${JSON.stringify(value)}): ${errs[0].detail}`);
      }
    };
    check(isValidCIDR('f', value), err, 'isValidCIDR');
    check(isValidCIDRForLegacyField('f', value, false), legacyErr, 'legacy');
    check(isValidCIDRForLegacyField('f', value, true), legacyStrictErr, 'legacyStrict');
    assert.deepEqual(isValidCIDRForLegacyField('f', value, true, bad), [], `old value ${value}`);
  }
  assert.deepEqual(
    isValidCIDR('f', '10.0.0.0/33').map((e) => e.message()),
    ['f: Invalid value: "10.0.0.0/33": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'],
  );
});
