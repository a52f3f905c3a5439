/* cJSON.c is compiled with this header forced in first (the cjson target in
 * cmake/deps.cmake): it includes <stdio.h> and then sends cJSON's sprintf
 * and sscanf calls to posagent's (core/json/json_number.cpp), so the C
 * library's printf and scanf families (5.7 KB of flash on Cortex-M4, with
 * the stdio they drag in) are not linked for cJSON.
 *
 * cJSON formats three things:
 *   - "\u00XX" escapes of control characters in strings ("u%04x"),
 *   - its version string ("%i.%i.%i", cJSON_Version),
 *   - cJSON_Number items ("null", "%1.15g" or "%1.17g", read back with
 *     sscanf "%lg").
 * The first two are done here exactly. The third is refused: sprintf
 * returns -1 for floating-point conversions and sscanf matches nothing, so
 * printing a cJSON_Number fails (cJSON_PrintPreallocated returns false).
 * posagent never prints one: JsonWriter writes every number as raw text
 * (amounts and integers exactly from their digits) and parsed documents are
 * never printed. */
#ifndef POSAGENT_CJSON_STDIO_H
#define POSAGENT_CJSON_STDIO_H

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* sprintf for literal text, %d and %i (int) and %x (unsigned int), each with
 * an optional 0 flag and width; -1 for anything else. */
int posagent_cjson_sprintf(char* out, const char* format, ...);
/* Matches nothing: returns 0. */
int posagent_cjson_sscanf(const char* text, const char* format, ...);

#ifdef __cplusplus
}
#endif

#if defined(POSAGENT_CJSON_STDIO_REDIRECT)
#define sprintf posagent_cjson_sprintf
#define sscanf posagent_cjson_sscanf
#endif

#endif /* POSAGENT_CJSON_STDIO_H */
