/* A stand-in for uv.exe (and, copied by "uv venv", for the venv's python.exe / pythonw.exe) in the
 * Windows bootstrap tests: compiled with x86_64-w64-mingw32-gcc at test time, run under wine.
 *
 * Every run appends one JSON line {"exe": "uv.exe", "argv": [...], "env": {UV_* and RIGPILOT_*},
 * "cwd": "..."} (UTF-8) to the file named by FAKE_UV_LOG.
 * As uv (its own file name does not start with "python"): the Nth run exits with the number on line N
 * of the file named by FAKE_UV_CODES (0 past its end; the count is kept in FAKE_UV_CODES + ".n").
 * "venv DIR" that exits 0 creates DIR\Scripts\python.exe and pythonw.exe (copies of itself).
 * As python*.exe: records and exits 0. */
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

static void record(const wchar_t *self_name, int argc, wchar_t **argv) {
    const wchar_t *out = _wgetenv(L"FAKE_UV_LOG");
    if (!out) return;
    FILE *f = _wfopen(out, L"ab");
    if (!f) return;
    fputs("{\"exe\": ", f);
    put_json_string(f, self_name);
    fputs(", \"argv\": [", f);
    for (int i = 1; i < argc; ++i) { if (i > 1) fputs(", ", f); put_json_string(f, argv[i]); }
    fputs("], \"env\": {", f);
    wchar_t *env = GetEnvironmentStringsW();
    int first = 1;
    for (wchar_t *e = env; *e; e += wcslen(e) + 1) {
        if (_wcsnicmp(e, L"UV_", 3) != 0 && _wcsnicmp(e, L"RIGPILOT_", 9) != 0) continue;
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

static int next_code(void) {
    const wchar_t *codes = _wgetenv(L"FAKE_UV_CODES");
    if (!codes) return 0;
    wchar_t counter[32768];
    _snwprintf(counter, 32768, L"%ls.n", codes);
    int n = 0;
    FILE *c = _wfopen(counter, L"rb");
    if (c) { if (fscanf(c, "%d", &n) != 1) n = 0; fclose(c); }
    c = _wfopen(counter, L"wb");
    if (c) { fprintf(c, "%d", n + 1); fclose(c); }
    FILE *f = _wfopen(codes, L"rb");
    if (!f) return 0;
    int code = 0, line = 0;
    while (fscanf(f, "%d", &code) == 1) { if (line++ == n) { fclose(f); return code; } }
    fclose(f);
    return 0;
}

int wmain(int argc, wchar_t **argv) {
    wchar_t self[32768];
    GetModuleFileNameW(NULL, self, 32768);
    wchar_t *name = wcsrchr(self, L'\\');
    name = name ? name + 1 : self;
    record(name, argc, argv);
    if (_wcsnicmp(name, L"python", 6) == 0) return 0;
    int code = next_code();
    if (code == 0 && argc >= 3 && wcscmp(argv[1], L"venv") == 0) {
        wchar_t dir[32768], target[32768];
        _snwprintf(dir, 32768, L"%ls\\Scripts", argv[2]);
        CreateDirectoryW(argv[2], NULL);
        CreateDirectoryW(dir, NULL);
        _snwprintf(target, 32768, L"%ls\\python.exe", dir);
        CopyFileW(self, target, FALSE);
        _snwprintf(target, 32768, L"%ls\\pythonw.exe", dir);
        CopyFileW(self, target, FALSE);
    }
    return code;
}
