// Scale-out with MPI: each rank simulates a disjoint range of chunks of the same run, the
// serialized results are gathered on rank 0 and merged in chunk order with +=, and the
// merge is checked to equal the single-process run bit for bit.
//
//   mpirun -np 2 ./example_mpi_simulate      (returns non-zero if the check fails)
#include <mpi.h>

#include <cstdio>
#include <vector>

#include <salespipe/example_model.hpp>
#include <salespipe/pipeline.hpp>
#include <salespipe/simulate/engine.hpp>
#include <salespipe/simulate/summary.hpp>

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int rank = 0, size = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);

  const salespipe::pipeline p(salespipe::example_model());
  salespipe::simulate::options o;
  o.periods = 24;
  o.replications = 1000;
  o.chunk_size = 50;
  o.seed = 2024;
  const std::size_t chunks = (o.replications + o.chunk_size - 1) / o.chunk_size;  // 20

  // Rank r takes chunks [r·n/size, (r+1)·n/size).
  const auto ur = static_cast<std::size_t>(rank), us = static_cast<std::size_t>(size);
  o.chunks = salespipe::simulate::chunk_range{ur * chunks / us, (ur + 1) * chunks / us};
  std::vector<char> mine;
  if (o.chunks->first < o.chunks->last) mine = salespipe::simulate::run(p, o).serialize();

  // Gather the images on rank 0.
  int n = static_cast<int>(mine.size());
  std::vector<int> sizes(static_cast<std::size_t>(size)), offsets(static_cast<std::size_t>(size));
  MPI_Gather(&n, 1, MPI_INT, sizes.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
  std::vector<char> all;
  if (rank == 0) {
    int total = 0;
    for (std::size_t i = 0; i < sizes.size(); ++i) offsets[i] = total, total += sizes[i];
    all.resize(static_cast<std::size_t>(total));
  }
  MPI_Gatherv(mine.data(), n, MPI_CHAR, all.data(), sizes.data(), offsets.data(), MPI_CHAR, 0, MPI_COMM_WORLD);

  int status = 0;
  if (rank == 0) {
    salespipe::simulate::results merged;  // merge in rank order = chunk order
    for (std::size_t i = 0; i < sizes.size(); ++i)
      if (sizes[i] > 0)
        merged +=
            salespipe::simulate::results::deserialize(all.data() + offsets[i], static_cast<std::size_t>(sizes[i]));
    o.chunks.reset();
    const auto single = salespipe::simulate::run(p, o);
    const bool same = merged == single;
    const std::size_t c = p.index_of("customer");
    const auto fy = salespipe::simulate::summarize(merged, salespipe::simulate::quantity::entries, c, {12, 24});
    std::printf("%d ranks, %zu replications: new customers in months 12-23: mean %.2f, P10 %.0f, "
                "P90 %.0f; merged result %s the single-process run\n",
                size, merged.replications(), fy.mean, fy.p10, fy.p90, same ? "is bit-identical to" : "DIFFERS from");
    status = same && merged.replications() == o.replications ? 0 : 1;
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
  MPI_Finalize();
  return status;
}
