# Sums a GNU ld map file's input sections per component, split into flash
# (code, read-only data, and the load image of .data) and static RAM (.data
# and .bss). Components are recognised by the archive or object each section
# came from.
#
# usage: awk -f map_by_component.awk firmware.map
function component(file) {
  if (file ~ /libmbedtls(_peer)?\.a/) return "Mbed TLS"
  if (file ~ /libllhttp\.a/) return "llhttp"
  if (file ~ /libcjson\.a/) return "cJSON"
  if (file ~ /libqrcodegen\.a/) return "qrcodegen"
  if (file ~ /libposagent_tls(_peer)?\.a\(tls_pool/) return "core: TLS pool"
  if (file ~ /libposagent_(agent|engine)\.a/) return "core/agent+engine"
  if (file ~ /libposagent_gateway\.a/) return "core/gateway"
  if (file ~ /libposagent_screens\.a/) return "core/screens"
  # The image itself: its main, the HAL backends, the firmware runtime
  # (heap trap, no stdio), the board start-up and the CA bundle it carries.
  if (file ~ /libposagent_(hal|test_pki)|(^|\/)(firmware|hal)\//) return "image, HAL, CAs"
  # base, json, http and the TLS session (and anything else of ours).
  if (file ~ /libposagent_/) return "core: the rest"
  if (file ~ /lib(c|g|m|nosys|rdimon)(_nano)?\.a|libgcc\.a|libstdc\+\+(_nano)?\.a|libsupc\+\+(_nano)?\.a|crt[0-9a-z]*\.o|rdimon-crt0/) return "C runtime"
  return "other"
}
# mawk has no strtonum.
function hex(s,   i, v) {
  v = 0
  s = tolower(substr(s, 3))
  for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
  return v
}
function account(section, size, file,   c, bytes) {
  bytes = hex(size)
  if (bytes == 0) return
  c = component(file)
  seen[c] = 1
  if (section ~ /^\.(text|rodata|ARM\.extab|ARM\.exidx|init|fini|preinit_array|init_array|fini_array|isr_vector)/) flash[c] += bytes
  else if (section ~ /^\.data/) { flash[c] += bytes; ram[c] += bytes }
  else if (section ~ /^(\.bss|COMMON)/) ram[c] += bytes
}
BEGIN { in_map = 0 }
/^Linker script and memory map/ { in_map = 1; next }
!in_map { next }
/^\/DISCARD\// { in_map = 0; next }
# One-line form: " .text.foo  0x00001234  0x58 /path/lib.a(obj.o)"
$1 ~ /^(\.|COMMON)/ && NF == 4 && $2 ~ /^0x/ && $3 ~ /^0x/ { account($1, $3, $4); pending = ""; next }
# Two-line form: a long section name alone, then address, size and file.
$1 ~ /^(\.|COMMON)/ && NF == 1 { pending = $1; next }
pending != "" && NF == 3 && $1 ~ /^0x/ && $2 ~ /^0x/ { account(pending, $2, $3); pending = ""; next }
{ pending = "" }
END {
  order = "core/agent+engine|core/gateway|core/screens|core: the rest|core: TLS pool|image, HAL, CAs|llhttp|cJSON|qrcodegen|Mbed TLS|C runtime|other"
  n = split(order, names, "|")
  printf "%-18s %10s %10s\n", "component", "flash B", "RAM B"
  for (i = 1; i <= n; i++) {
    c = names[i]
    if (!(c in seen)) continue
    printf "%-18s %10d %10d\n", c, flash[c], ram[c]
    tf += flash[c]; tr += ram[c]
  }
  printf "%-18s %10d %10d\n", "total", tf, tr
}
