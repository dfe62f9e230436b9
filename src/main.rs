fn main() -> std::process::ExitCode {
    diligence::main()
}
