/* A stand-in for python.exe in the launcher tests (compiled with mingw at test time, run under wine).
 * Writes one JSON line {"argv": [...], "env": {...}, "cwd": "..."} (UTF-8) to the file named by FAKE_OUT.
 * FAKE_CRASHES=N with FAKE_COUNTER=file: exit 3 for the first N runs, then 0.
 * "-c <code containing time.sleep>" (the watchdog's delay) exits 0 at once. */
#include <windows.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static void put_json_string(FILE *f, const wchar_t *w) {
    int n = WideCharToMultiByte(CP_UTF8, 0, w, -1, NULL, 0, NULL, NULL);
    char *s = (char *)malloc(n > 0 ? n : 1);
    if (n > 0) WideCharToMultiByte(CP_UTF8, 0, w, -1, s, n, NULL, NULL); else s[0] = 0;
    fputc('"', f);
    for (unsigned char *p = (unsigned char *)s; *p; ++p) {
        if (*p == '"' || *p == '\\') { fputc('\\', f); fputc(*p, f); }
        else if (*p < 0x20) fprintf(f, "\\u%04x", *p);
        else fputc(*p, f);
    }
    fputc('"', f);
    free(s);
}

int wmain(int argc, wchar_t **argv) {
    if (argc >= 3 && wcscmp(argv[1], L"-c") == 0 && wcsstr(argv[2], L"time.sleep")) return 0;
    const wchar_t *out = _wgetenv(L"FAKE_OUT");
    if (out) {
        FILE *f = _wfopen(out, L"ab");
        if (f) {
            fputs("{\"argv\": [", f);
            for (int i = 1; i < argc; ++i) { if (i > 1) fputs(", ", f); put_json_string(f, argv[i]); }
            fputs("], \"env\": {", f);
            wchar_t *env = GetEnvironmentStringsW();
            int first = 1;
            for (wchar_t *e = env; *e; e += wcslen(e) + 1) {
                wchar_t *eq = wcschr(e + 1, L'=');
                if (!eq) continue;
                size_t klen = (size_t)(eq - e);
                wchar_t *key = (wchar_t *)calloc(klen + 1, sizeof(wchar_t));
                wcsncpy(key, e, klen);
                if (!first) fputs(", ", f);
                first = 0;
                put_json_string(f, key);
                fputs(": ", f);
                put_json_string(f, eq + 1);
                free(key);
            }
            FreeEnvironmentStringsW(env);
            wchar_t cwd[32768];
            GetCurrentDirectoryW(32768, cwd);
            fputs("}, \"cwd\": ", f);
            put_json_string(f, cwd);
            fputs("}\n", f);
            fclose(f);
        }
    }
    const wchar_t *crashes = _wgetenv(L"FAKE_CRASHES");
    const wchar_t *counter = _wgetenv(L"FAKE_COUNTER");
    if (crashes && counter) {
        int n = 0;
        FILE *c = _wfopen(counter, L"rb");
        if (c) { if (fscanf(c, "%d", &n) != 1) n = 0; fclose(c); }
        c = _wfopen(counter, L"wb");
        if (c) { fprintf(c, "%d", n + 1); fclose(c); }
        if (n < _wtoi(crashes)) return 3;
    }
    return 0;
}
