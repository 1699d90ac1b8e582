#pragma once
// Downloads of open data distributions, GET|HEAD
// /api/v1/datasets/{id}/versions/{version}/{csv|json}: the RPC is the
// annotated, streamed OpendataService.GetDistribution, but a version is
// immutable and its size and SHA-256 are recorded, so the answer states
// them before the first byte: Content-Length from the recorded size (the
// body is then sent without chunks), a strong ETag from the hash, 304 for a
// matching If-None-Match without calling the stream, and HEAD with the
// length. The size comes from OpendataService.GetVersion first.
#include <chrono>
#include <functional>
#include <string_view>

#include "gateway/transcoder.h"

namespace sportello::gateway::datasets {

// True for GET (HEAD arrives as GET) of a distribution path.
bool IsDownload(std::string_view method, std::string_view path);

// The ETag of a distribution: its SHA-256, quoted.
std::string ETagOfSha(std::string_view sha256_hex);

// `forward` runs the request through the ordinary route (the stream); its
// answer gets the length and ETag when it is the stream's 200.
void HandleDownload(HttpRequest request, std::string_view path, Upstream& upstream,
                    std::chrono::milliseconds timeout,
                    std::function<void(HttpRequest, std::function<void(HttpResponse)>)> forward,
                    std::function<void(HttpResponse)> done);

}  // namespace sportello::gateway::datasets
