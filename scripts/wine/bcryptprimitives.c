/* A stand-in for Windows' bcryptprimitives.dll, for scripts/wine-check.sh only.
 *
 * Go (1.24 and later) programs for Windows get their random bytes from
 * ProcessPrng in bcryptprimitives.dll, which Wine 8.0 (Debian 12) does not
 * have: the program stops with "bcryptprimitives.dll not found". This DLL
 * provides ProcessPrng on top of RtlGenRandom (advapi32's SystemFunction036),
 * which Wine does have. It is copied into the throw-away Wine prefix of the
 * check and never shipped.
 *
 * Build: x86_64-w64-mingw32-gcc -O2 -shared -o bcryptprimitives.dll \
 *          bcryptprimitives.c -ladvapi32 -Wl,--kill-at
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
  while (len > 0) {
    ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
    if (!SystemFunction036(data, n)) return FALSE;
    data += n;
    len -= n;
  }
  return TRUE;
}
