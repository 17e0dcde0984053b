import DocumentPipeline
import Foundation
import PostgresNIO

/// postgres-nio settings for a store URL, and readable reasons for its errors.
extension PostgresStoreURL {
    /// The TLS settings of `sslMode`; `nil` for `disable`.
    func tlsConfiguration() -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch sslMode {
        case .disable: return nil
        case .allow, .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        if let sslRootCert, sslMode == .verifyCA || sslMode == .verifyFull {
            tls.trustRoots = .file(sslRootCert)
        }
        return tls
    }

    /// The name `verify-full` checks the server's certificate against and sends as SNI: the
    /// host, unless it is an IP address, which SNI cannot carry (the certificate is then
    /// checked against the address connected to).
    var tlsServerName: String? {
        guard sslMode == .verifyFull, let host else { return nil }
        var v4 = in_addr(), v6 = in6_addr()
        let literal = inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
        return literal ? nil : host
    }

    /// Settings for one connection (schema setup, heartbeats).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        if let socketPath {
            configuration = .init(
                unixSocketPath: socketPath, username: user, password: password,
                database: database)
        } else {
            var tls: PostgresConnection.Configuration.TLS = .disable
            if let settings = tlsConfiguration() {
                let context = try NIOSSLContext(configuration: settings)
                tls = sslMode == .allow || sslMode == .prefer ? .prefer(context) : .require(context)
            }
            configuration = .init(
                host: host ?? "localhost", port: port, username: user, password: password,
                database: database, tls: tls)
            configuration.options.tlsServerName = tlsServerName
        }
        configuration.options.connectTimeout = .seconds(10)
        return configuration
    }

    /// Settings for the connection pool.
    func clientConfiguration() -> PostgresClient.Configuration {
        var configuration: PostgresClient.Configuration
        if let socketPath {
            configuration = .init(
                unixSocketPath: socketPath, username: user, password: password,
                database: database)
        } else {
            var tls: PostgresClient.Configuration.TLS = .disable
            if let settings = tlsConfiguration() {
                tls =
                    sslMode == .allow || sslMode == .prefer ? .prefer(settings) : .require(settings)
            }
            configuration = .init(
                host: host ?? "localhost", port: port, username: user, password: password,
                database: database, tls: tls)
            configuration.options.tlsServerName = tlsServerName
        }
        configuration.options.connectTimeout = .seconds(10)
        configuration.options.maximumConnections = 8
        return configuration
    }

    /// One line saying why a database call failed, without secrets.
    static func reason(_ error: any Error) -> String {
        switch error {
        case let error as PSQLError:
            if let info = error.serverInfo, let message = info[.message] {
                return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
            }
            if let underlying = error.underlying { return reason(underlying) }
            switch error.code {
            case .serverClosedConnection: return "the server closed the connection"
            case .clientClosedConnection: return "the connection was closed"
            case .connectionError: return "cannot connect"
            case .sslUnsupported: return "the server does not support TLS (sslmode asks for it)"
            case .authMechanismRequiresPassword:
                return "the server asks for a password and none was given (URL, PGPASSWORD, "
                    + "PALIDOC_STORE or ~/.pgpass)"
            default: return "database error \(error.code)"
            }
        case let error as PostgresTransactionError:
            if let inner = error.closureError ?? error.beginError ?? error.commitError {
                return reason(inner)
            }
            return "the transaction failed"
        case let error as NIOConnectionError:
            if let first = error.connectionErrors.first { return reason(first.error) }
            return error.dnsAAAAError.map(reason) ?? error.dnsAError.map(reason)
                ?? "cannot connect"
        case let error as IOError:
            return "cannot connect: \(String(cString: strerror(error.errnoCode)))"
        case let error as JobStoreError:
            return "\(error)"
        default:
            return "\(error)"
        }
    }
}
