//! Work spread over the cores: the items cut into one contiguous part per thread, the results
//! given back in the items' order.

/// A worker thread stopped by a panic: its part of the work is lost, so the whole call fails.
#[derive(Debug, thiserror::Error)]
#[error("a rendering thread stopped unexpectedly")]
pub struct WorkerPanicked;

pub fn map_in_order<T, R, E>(
    items: &[T],
    threads: usize,
    work: impl Fn(&T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send + From<WorkerPanicked>,
{
    map_parts_in_order(items, threads, |part| part.iter().map(&work).collect())
}

/// The same with each thread's part handed over whole, for work done once per part (one file
/// written for many items); `work` gives one result per item of its part.
pub fn map_parts_in_order<T, R, E>(
    items: &[T],
    threads: usize,
    work: impl Fn(&[T]) -> Result<Vec<R>, E> + Sync,
) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send + From<WorkerPanicked>,
{
    if threads <= 1 || items.len() <= 1 {
        return work(items);
    }
    let part = items.len().div_ceil(threads);
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .chunks(part)
            .map(|part| scope.spawn(move || work(part)))
            .collect();
        let mut all = Vec::with_capacity(items.len());
        for handle in handles {
            all.extend(handle.join().map_err(|_| WorkerPanicked)??);
        }
        Ok(all)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, PartialEq)]
    enum Failure {
        Odd(usize),
        Panicked,
    }

    impl From<WorkerPanicked> for Failure {
        fn from(_: WorkerPanicked) -> Self {
            Failure::Panicked
        }
    }

    #[test]
    fn results_come_back_in_order_and_the_first_failure_wins() {
        let items: Vec<usize> = (0..1001).collect();
        for threads in [1, 2, 3, 8] {
            let doubled = map_in_order(&items, threads, |n| Ok::<_, Failure>(n * 2)).unwrap();
            assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
            let failed = map_in_order(&items, threads, |&n| {
                if n % 400 == 399 {
                    Err(Failure::Odd(n))
                } else {
                    Ok(n)
                }
            });
            assert_eq!(failed, Err(Failure::Odd(399)));
        }
        let panicked = map_in_order(&items, 2, |&n| {
            if n == 700 {
                panic!("boom")
            } else {
                Ok::<_, Failure>(n)
            }
        });
        assert_eq!(panicked, Err(Failure::Panicked));
    }
}
