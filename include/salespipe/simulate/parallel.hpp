// salespipe/simulate/parallel.hpp — runs independent chunks on worker threads, with a
// progress callback on the calling thread and early stop.
#ifndef SALESPIPE_SIMULATE_PARALLEL_HPP
#define SALESPIPE_SIMULATE_PARALLEL_HPP

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <salespipe/error.hpp>

namespace salespipe::simulate::detail {

/// Number of worker threads for option value `threads` (0 = all cores); throws
/// invalid_option for a negative value. Never more than `work` (at least 1).
inline std::size_t resolve_threads(int threads, std::size_t work) {
  if (threads < 0) throw invalid_option("threads must be >= 0 (0 = all cores), got " + std::to_string(threads));
  std::size_t t = threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : static_cast<std::size_t>(threads);
  return std::max<std::size_t>(1, std::min(t, work));
}

/// Calls fn(chunk, worker) once for each chunk in [0, n) on `workers` threads (worker in
/// [0, workers)), chunks taken in increasing order. progress(fraction done) is called on
/// the calling thread (after each chunk with one worker, about every 50 ms otherwise);
/// when it returns false no new chunk starts. Returns the number of leading chunks
/// [0, m) that completed (n unless stopped). An exception from fn stops the run and is
/// rethrown here.
template <class Fn>
std::size_t for_each_chunk(std::size_t n, std::size_t workers, const std::function<bool(double)>& progress, Fn&& fn) {
  if (n == 0) return 0;
  auto report = [&](std::size_t done) {
    return !progress || progress(static_cast<double>(done) / static_cast<double>(n));
  };
  if (workers <= 1) {
    for (std::size_t c = 0; c < n; ++c) {
      fn(c, std::size_t(0));
      if (!report(c + 1)) return c + 1;
    }
    return n;
  }
  std::atomic<std::size_t> next{0}, done_count{0};
  std::atomic<bool> stop{false};
  std::unique_ptr<std::atomic<bool>[]> done(new std::atomic<bool>[n]);
  for (std::size_t c = 0; c < n; ++c) done[c].store(false, std::memory_order_relaxed);
  std::mutex m;
  std::condition_variable cv;
  std::exception_ptr failure;
  auto work = [&](std::size_t w) {
    try {
      while (!stop.load(std::memory_order_relaxed)) {
        const std::size_t c = next.fetch_add(1);
        if (c >= n) break;
        fn(c, w);
        done[c].store(true, std::memory_order_release);
        if (done_count.fetch_add(1) + 1 == n) {
          std::lock_guard<std::mutex> lock(m);
          cv.notify_all();
        }
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(m);
      if (!failure) failure = std::current_exception();
      stop = true;
      cv.notify_all();
    }
  };
  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (std::size_t w = 0; w < workers; ++w) pool.emplace_back(work, w);
  if (progress) {
    std::unique_lock<std::mutex> lock(m);
    while (!stop && done_count.load() < n) {
      cv.wait_for(lock, std::chrono::milliseconds(50));
      const std::size_t d = done_count.load();
      lock.unlock();
      const bool go_on = d >= n || report(d);
      lock.lock();
      if (!go_on) stop = true;
    }
  }
  for (auto& t : pool) t.join();
  if (failure) std::rethrow_exception(failure);
  std::size_t lead = 0;
  while (lead < n && done[lead].load(std::memory_order_acquire)) ++lead;
  if (progress && lead == n && !stop) report(n);
  return lead;
}

}  // namespace salespipe::simulate::detail

#endif  // SALESPIPE_SIMULATE_PARALLEL_HPP
