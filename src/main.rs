// mimalloc rather than the system allocator: reading profiles and quotes, running rules and
// writing findings allocate many small strings, and glibc's malloc and free were a sixth of a
// cold `evaluate`'s instructions (bench/README.md has the measurement).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    diligence::main()
}
