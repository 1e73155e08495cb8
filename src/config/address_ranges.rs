//! Lists of addresses and CIDR ranges, for two settings:
//! - `trusted_proxies`: the reverse proxies whose word about the client's address is believed.
//!   Behind a proxy every connection comes from the proxy; only a proxy listed here may say, in
//!   `Forwarded` or `X-Forwarded-For`, whom it forwards. Anyone else saying so is ignored: that
//!   header is the client's own claim.
//! - `metrics_from`: the monitoring hosts that may read `/metrics`.

use std::net::IpAddr;

/// Addresses and CIDR ranges (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`); empty by default.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressRanges(Vec<IpRange>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    fn parse(text: &str) -> Option<IpRange> {
        let text = text.trim();
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix.trim().parse::<u8>().ok()?)),
            None => (text, None),
        };
        let network: IpAddr = address.trim().parse().ok()?;
        let width = if network.is_ipv4() { 32 } else { 128 };
        let prefix = prefix.unwrap_or(width);
        (prefix <= width).then_some(IpRange { network, prefix })
    }

    fn contains(&self, address: IpAddr) -> bool {
        match (self.network, unmapped(address)) {
            (IpAddr::V4(net), IpAddr::V4(addr)) => same_prefix(
                u128::from(u32::from(net)),
                u128::from(u32::from(addr)),
                self.prefix,
                32,
            ),
            (IpAddr::V6(net), IpAddr::V6(addr)) => {
                same_prefix(u128::from(net), u128::from(addr), self.prefix, 128)
            }
            _ => false,
        }
    }
}

fn same_prefix(network: u128, address: u128, prefix: u8, width: u32) -> bool {
    let host_bits = width - u32::from(prefix);
    if host_bits >= width {
        return true;
    }
    (network >> host_bits) == (address >> host_bits)
}

/// `::ffff:10.0.0.1` is `10.0.0.1`: a dual-stack listener reports IPv4 peers that way.
pub fn unmapped(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(address, IpAddr::V4),
        v4 => v4,
    }
}

impl AddressRanges {
    /// Parses the list; the entry that is neither an address nor a range is returned as the error.
    pub fn parse<'a>(entries: impl IntoIterator<Item = &'a str>) -> Result<AddressRanges, String> {
        entries
            .into_iter()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(|e| IpRange::parse(e).ok_or_else(|| e.to_string()))
            .collect::<Result<Vec<_>, _>>()
            .map(AddressRanges)
    }

    pub fn contains(&self, address: IpAddr) -> bool {
        self.0.iter().any(|range| range.contains(address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn addresses_and_ranges_of_both_families() {
        let trusted = AddressRanges::parse(["127.0.0.1", " 10.0.0.0/8", "fd00::/8", ""]).unwrap();
        assert!(trusted.contains(ip("127.0.0.1")));
        assert!(!trusted.contains(ip("127.0.0.2")));
        assert!(trusted.contains(ip("10.255.1.2")));
        assert!(!trusted.contains(ip("11.0.0.1")));
        assert!(trusted.contains(ip("fd12::1")));
        assert!(!trusted.contains(ip("fe80::1")));
        assert!(
            trusted.contains(ip("::ffff:10.1.1.1")),
            "an IPv4 peer on a dual-stack socket"
        );
        assert!(AddressRanges::parse(["0.0.0.0/0"])
            .unwrap()
            .contains(ip("8.8.8.8")));
        assert!(AddressRanges::default().is_empty());
        assert!(!AddressRanges::default().contains(ip("127.0.0.1")));
    }

    #[test]
    fn a_bad_entry_is_named() {
        assert_eq!(
            AddressRanges::parse(["10.0.0.0/8", "10.0.0.0/33"]),
            Err("10.0.0.0/33".to_string())
        );
        assert_eq!(
            AddressRanges::parse(["proxy.local"]),
            Err("proxy.local".to_string())
        );
    }
}
