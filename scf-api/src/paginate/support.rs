//! Conversions generated `Paged` impls use, whatever the shape of the members.

/// An offset or limit member: `Option` of `i64`, `u64` or a string of digits.
pub trait PageNumber {
    /// The value, when set and a non-negative number.
    fn get(&self) -> Option<u64>;
    /// Sets the value.
    fn set(&mut self, value: u64);
}

impl PageNumber for Option<i64> {
    fn get(&self) -> Option<u64> {
        self.and_then(|n| u64::try_from(n).ok())
    }

    fn set(&mut self, value: u64) {
        *self = Some(i64::try_from(value).unwrap_or(i64::MAX));
    }
}

impl PageNumber for Option<u64> {
    fn get(&self) -> Option<u64> {
        *self
    }

    fn set(&mut self, value: u64) {
        *self = Some(value);
    }
}

impl PageNumber for Option<String> {
    fn get(&self) -> Option<u64> {
        self.as_deref().and_then(|s| s.parse().ok())
    }

    fn set(&mut self, value: u64) {
        *self = Some(value.to_string());
    }
}

/// An items member: a list, or an optional one.
pub trait PageItems<T> {
    /// The items.
    fn as_slice(&self) -> &[T];
    /// How many items there are.
    fn count(&self) -> usize {
        self.as_slice().len()
    }
    /// Takes them out.
    fn take(&mut self) -> Vec<T>;
}

impl<T> PageItems<T> for Vec<T> {
    fn as_slice(&self) -> &[T] {
        self
    }

    fn take(&mut self) -> Vec<T> {
        std::mem::take(self)
    }
}

impl<T> PageItems<T> for Option<Vec<T>> {
    fn as_slice(&self) -> &[T] {
        self.as_deref().unwrap_or_default()
    }

    fn take(&mut self) -> Vec<T> {
        self.take().unwrap_or_default()
    }
}

/// A total member: `i64` or `u64`, optional or not.
pub trait PageTotal {
    /// The total, when known and not negative.
    fn total(&self) -> Option<u64>;
}

impl PageTotal for i64 {
    fn total(&self) -> Option<u64> {
        u64::try_from(*self).ok()
    }
}

impl PageTotal for u64 {
    fn total(&self) -> Option<u64> {
        Some(*self)
    }
}

impl<T: PageTotal> PageTotal for Option<T> {
    fn total(&self) -> Option<u64> {
        self.as_ref().and_then(PageTotal::total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_conversions() {
        let mut n: Option<i64> = Some(-1);
        assert_eq!(n.get(), None);
        n.set(u64::MAX);
        assert_eq!(n, Some(i64::MAX));
        let mut s: Option<String> = Some("12".into());
        assert_eq!(s.get(), Some(12));
        s.set(40);
        assert_eq!(s.as_deref(), Some("40"));
        assert_eq!(Some("ten".to_owned()).get(), None);
        let mut u: Option<u64> = None;
        assert_eq!(u.get(), None);
        u.set(3);
        assert_eq!(u, Some(3));

        let mut list: Option<Vec<u8>> = None;
        assert_eq!(list.count(), 0);
        assert!(PageItems::take(&mut list).is_empty());
        let mut list = Some(vec![1, 2]);
        assert_eq!(list.count(), 2);
        assert_eq!(PageItems::take(&mut list), vec![1, 2]);
        let mut plain = vec![3];
        assert_eq!(PageItems::take(&mut plain), vec![3]);
        assert!(plain.is_empty());

        assert_eq!((-3i64).total(), None);
        assert_eq!(7u64.total(), Some(7));
        assert_eq!(Some(5i64).total(), Some(5));
        assert_eq!(None::<u64>.total(), None);
    }
}
