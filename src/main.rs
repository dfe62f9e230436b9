fn main() -> std::process::ExitCode {
    diligence::cli::main()
}
