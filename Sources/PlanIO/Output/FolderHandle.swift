import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A folder held open by a descriptor. Every file in it is named relative to the descriptor
/// (`openat`, `fstatat`, `unlinkat`), so whatever happens to the path meanwhile (a symbolic link
/// swapped in, a folder renamed) no later step can reach another place.
final class FolderHandle {
    let fd: Int32

    private init(fd: Int32) { self.fd = fd }
    deinit { close(fd) }

    /// Opens `name` as a folder: relative to `parent`, or to the working directory. With
    /// `followLast: false` a symbolic link is not followed (the call fails with ELOOP or ENOTDIR).
    static func open(_ name: String, in parent: Int32 = AT_FDCWD, followLast: Bool) -> FolderHandle? {
        let fd = openat(parent, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (followLast ? 0 : O_NOFOLLOW))
        return fd >= 0 ? FolderHandle(fd: fd) : nil
    }

    /// A folder inside this one, never through a symbolic link.
    func folder(_ name: String) -> FolderHandle? { Self.open(name, in: fd, followLast: false) }

    /// The kernel's name for this folder now (Linux: the /proc/self/fd link; macOS: F_GETPATH).
    var path: String? {
        #if os(Linux)
            guard let p = realpath("/proc/self/fd/\(fd)", nil) else { return nil }
            defer { free(p) }
            return String(cString: p)
        #elseif canImport(Darwin)
            var buffer = [CChar](repeating: 0, count: Int(MAXPATHLEN))
            guard fcntl(fd, F_GETPATH, &buffer) == 0 else { return nil }
            return String(cString: buffer)
        #else
            return nil
        #endif
    }

    /// A path that reaches this folder through its descriptor, for a C library that takes only a
    /// file name (libxlsxwriter): "/proc/self/fd/N" on Linux, else the kernel's name for it.
    var descriptorPath: String? {
        #if os(Linux)
            return "/proc/self/fd/\(fd)"
        #else
            return path
        #endif
    }

    /// The folder's own status.
    var status: stat? {
        var s = stat()
        return fstat(fd, &s) == 0 ? s : nil
    }

    /// The status of an entry, a symbolic link not followed; nil with errno set.
    func status(_ name: String) -> stat? {
        var s = stat()
        return fstatat(fd, name, &s, AT_SYMLINK_NOFOLLOW) == 0 ? s : nil
    }

    /// The entries, sorted, without "." and ".."; nil when the folder cannot be read.
    func entries() -> [String]? {
        let copy = dup(fd)
        guard copy >= 0 else { return nil }
        guard let dir = fdopendir(copy) else {
            close(copy)
            return nil
        }
        defer { closedir(dir) }
        rewinddir(dir)
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    enum Read {
        case contents(Data)
        /// A symbolic link, folder, FIFO, socket or device: not a file rkat could have written.
        case notAFile
        case tooLarge
        case unreadable(Int32)
    }

    /// A regular file's contents, read through one descriptor (a symbolic link is not followed, a
    /// FIFO is not waited on); `limit` bytes at most.
    func read(_ name: String, limit: Int = Int.max) -> Read {
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else { return errno == ELOOP ? .notAFile : .unreadable(errno) }
        defer { close(file) }
        return Self.read(descriptor: file, limit: limit)
    }

    /// The contents of an open regular file from its start.
    static func read(descriptor file: Int32, limit: Int = Int.max) -> Read {
        var s = stat()
        guard fstat(file, &s) == 0 else { return .unreadable(errno) }
        guard s.st_mode & S_IFMT == S_IFREG else { return .notAFile }
        guard Int(s.st_size) <= limit else { return .tooLarge }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var offset: off_t = 0
        while true {
            let n = buffer.withUnsafeMutableBytes { pread(file, $0.baseAddress, $0.count, offset) }
            if n < 0 {
                if errno == EINTR { continue }
                return .unreadable(errno)
            }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
            offset += off_t(n)
            if data.count > limit { return .tooLarge }
        }
        return .contents(data)
    }

    /// Creates a file that must not exist yet, writes `data` and syncs it.
    func create(_ name: String, _ data: Data, faultAfterHalf: Bool = false) throws(OutputWriteError) {
        let file = openat(fd, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard file >= 0 else { throw OutputWriteError("cannot create \(name): \(String(cString: strerror(errno)))") }
        defer { close(file) }
        let ok = data.withUnsafeBytes { (buffer: UnsafeRawBufferPointer) -> Bool in
            var offset = 0
            while offset < buffer.count {
                var chunk = buffer.count - offset
                if faultAfterHalf && offset == 0 && buffer.count > 1 { chunk = buffer.count / 2 }
                let n = write(file, buffer.baseAddress! + offset, chunk)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                offset += n
                if faultAfterHalf && offset < buffer.count { FaultInjection.point("file-half-written") }
            }
            return true
        }
        guard ok, fsync(file) == 0 else { throw OutputWriteError("cannot write \(name): \(String(cString: strerror(errno)))") }
    }

    func sync() { fsync(fd) }
}
