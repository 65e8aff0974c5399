/** Why a file operation failed, in words: "permission denied", "no such file or directory". */
export function reason(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  const known: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EISDIR: "it is a folder",
    ENOTDIR: "a part of the path is not a folder",
    EROFS: "the file system is read-only",
    ENOSPC: "the disk is full",
  };
  return (code && known[code]) || message || String(error);
}
