/* Private to src/play: the page's files, embedded at build time by scripts/embed-assets. */
#ifndef QISIM_PLAY_ASSETS_H
#define QISIM_PLAY_ASSETS_H

#include <stddef.h>

extern const unsigned char qisim_asset_index_html[], qisim_asset_app_js[], qisim_asset_style_css[];
extern const size_t qisim_asset_index_html_len, qisim_asset_app_js_len, qisim_asset_style_css_len;

#endif
