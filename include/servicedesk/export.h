// Symbol visibility for the servicedesk shared library.
//
// The library is built with -fvisibility=hidden; SD_EXPORT marks the C++ API
// (namespace servicedesk) and the C ABI (sd_*) as the only exported symbols.
#ifndef SERVICEDESK_EXPORT_H_
#define SERVICEDESK_EXPORT_H_

#if defined(_WIN32)
#define SD_EXPORT
#else
#define SD_EXPORT __attribute__((visibility("default")))
#endif

#endif  // SERVICEDESK_EXPORT_H_
