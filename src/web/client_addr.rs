//! Who the client is, for rate limits, sign-in throttling and logs. Behind a reverse proxy every
//! connection comes from the proxy, so the proxy's `Forwarded` (RFC 7239) or `X-Forwarded-For`
//! header names the client, but only a proxy in `trusted_proxies` is believed: from anyone else
//! the header is the client's own claim. Each proxy appends the address it saw, so the chain is
//! read from the right and the first address that is not itself a trusted proxy is the client;
//! whatever a client wrote on the left is never reached.

use std::net::{IpAddr, SocketAddr};

use actix_web::http::header::HeaderMap;
use actix_web::HttpRequest;

use crate::config::{unmapped, AddressRanges};

/// The client's address for this request: the peer, or who a trusted proxy says it forwards.
pub fn client_ip(req: &HttpRequest, trusted: &AddressRanges) -> Option<IpAddr> {
    let peer = unmapped(req.peer_addr()?.ip());
    Some(resolve(peer, req.headers(), trusted))
}

/// The same as text, for keys and logs ("" when the connection has no peer address).
pub fn client_key(req: &HttpRequest, trusted: &AddressRanges) -> String {
    client_ip(req, trusted)
        .map(|ip| ip.to_string())
        .unwrap_or_default()
}

fn resolve(peer: IpAddr, headers: &HeaderMap, trusted: &AddressRanges) -> IpAddr {
    if !trusted.contains(peer) {
        return peer;
    }
    let chain = forwarded_chain(headers);
    let mut client = peer;
    for hop in chain.iter().rev() {
        // A hop that is not an address ("unknown", an obfuscated name) ends what can be known:
        // the last address seen, a trusted proxy, stands for the client.
        let Some(address) = hop.map(unmapped) else {
            return client;
        };
        client = address;
        if !trusted.contains(address) {
            return address;
        }
    }
    client
}

/// The addresses the proxies recorded, left to right: `Forwarded` when present (its `for=`
/// parameters), else `X-Forwarded-For`. Every header line counts, in order.
fn forwarded_chain(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    let forwarded: Vec<&str> = headers
        .get_all("forwarded")
        .filter_map(|v| v.to_str().ok())
        .collect();
    if !forwarded.is_empty() {
        return forwarded
            .iter()
            .flat_map(|line| line.split(','))
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.split_once('=')?;
                    name.trim().eq_ignore_ascii_case("for").then(|| parse_node(value))
                })
            })
            .collect();
    }
    headers
        .get_all("x-forwarded-for")
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(parse_node)
        .collect()
}

/// `192.0.2.60`, `"192.0.2.60:4711"`, `"[2001:db8::17]:4711"`, `2001:db8::17`.
fn parse_node(text: &str) -> Option<IpAddr> {
    let text = text.trim().trim_matches('"').trim();
    if let Ok(address) = text.parse::<IpAddr>() {
        return Some(address);
    }
    if let Ok(socket) = text.parse::<SocketAddr>() {
        return Some(socket.ip());
    }
    let bracketed = text.strip_prefix('[')?;
    bracketed.split(']').next()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::header::{HeaderName, HeaderValue};

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(HeaderName::from_static(name), HeaderValue::from_static(value));
        }
        map
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn trusted() -> AddressRanges {
        AddressRanges::parse(["127.0.0.1", "10.0.0.0/8"]).unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let said = headers(&[("x-forwarded-for", "1.2.3.4"), ("forwarded", "for=5.6.7.8")]);
        assert_eq!(resolve(ip("198.51.100.1"), &said, &trusted()), ip("198.51.100.1"));
        assert_eq!(
            resolve(ip("127.0.0.1"), &said, &AddressRanges::default()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        let chain = headers(&[("x-forwarded-for", "192.0.2.99, 203.0.113.7, 10.1.2.3")]);
        assert_eq!(resolve(ip("127.0.0.1"), &chain, &trusted()), ip("203.0.113.7"));
        let lines = headers(&[
            ("x-forwarded-for", "192.0.2.99"),
            ("x-forwarded-for", "203.0.113.7"),
        ]);
        assert_eq!(resolve(ip("10.0.0.5"), &lines, &trusted()), ip("203.0.113.7"));
        let only_proxies = headers(&[("x-forwarded-for", "10.0.0.9")]);
        assert_eq!(
            resolve(ip("127.0.0.1"), &only_proxies, &trusted()),
            ip("10.0.0.9")
        );
        assert_eq!(
            resolve(ip("127.0.0.1"), &HeaderMap::new(), &trusted()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn forwarded_is_read_with_quotes_ports_and_brackets() {
        let rfc = headers(&[(
            "forwarded",
            "for=192.0.2.43, for=\"[2001:db8:cafe::17]:4711\";proto=https, For=10.0.0.2;by=10.0.0.1",
        )]);
        assert_eq!(
            resolve(ip("127.0.0.1"), &rfc, &trusted()),
            ip("2001:db8:cafe::17")
        );
        let with_port = headers(&[("forwarded", "for=\"198.51.100.4:3128\"")]);
        assert_eq!(
            resolve(ip("127.0.0.1"), &with_port, &trusted()),
            ip("198.51.100.4")
        );
        // Forwarded wins over X-Forwarded-For when a proxy sends both.
        let both = headers(&[
            ("forwarded", "for=198.51.100.4"),
            ("x-forwarded-for", "203.0.113.1"),
        ]);
        assert_eq!(resolve(ip("127.0.0.1"), &both, &trusted()), ip("198.51.100.4"));
    }

    #[test]
    fn an_unreadable_hop_stops_at_the_last_known_proxy() {
        let hidden = headers(&[("forwarded", "for=unknown, for=10.0.0.3")]);
        assert_eq!(resolve(ip("127.0.0.1"), &hidden, &trusted()), ip("10.0.0.3"));
        let garbage = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(resolve(ip("127.0.0.1"), &garbage, &trusted()), ip("127.0.0.1"));
    }
}
