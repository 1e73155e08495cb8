//! The allocator's share of the memory bound. glibc gives each thread that allocates its own arena,
//! up to eight per core, and memory freed in one arena is not reused by another: after an upload on
//! one thread, issuing on others and a ZIP on a third, a 100,000-document batch through the API
//! peaked at 190 MB with the default and at 145 MB with one arena per core (2 cores), and rendered
//! no slower.
//!
//! glibc also raises its mmap threshold each time a large mmapped block is freed (up to 32 MiB),
//! after which such blocks come from the arenas and stay there: the 19 MiB of every Argon2 check
//! kept the server at 3.2 GB after a crowd of sign-ins. A fixed threshold keeps blocks of 4 MiB and
//! more in mmap, given back to the system when freed.

/// Blocks at least this large are mapped on their own and unmapped when freed.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const BIG_BLOCK: libc::c_int = 4 * 1024 * 1024;

/// Keeps one malloc arena per core, and big blocks out of the arenas. Called first thing in
/// `main`, before any thread starts.
pub fn one_arena_per_core() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only changes allocator settings; it is called before other threads exist.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
            libc::mallopt(libc::M_MMAP_THRESHOLD, BIG_BLOCK);
        }
    }
}
