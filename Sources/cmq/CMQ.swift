import CMQApp
@main struct Main { static func main() async throws { try await CMQMain.run() } }
