# Types of the compiled inner loops of the name index (_kernels.c).
import numpy as np
import numpy.typing as npt

def ratios(
    query: bytes,
    blob: npt.NDArray[np.uint8],
    offsets: npt.NDArray[np.int64],
    numbers: npt.NDArray[np.int32],
    sorted_forms: bool,
    score_cutoff: float,
    out: npt.NDArray[np.float64],
) -> None: ...
def token_set_ratios(
    query: bytes,
    blob: npt.NDArray[np.uint8],
    offsets: npt.NDArray[np.int64],
    numbers: npt.NDArray[np.int32],
    out: npt.NDArray[np.float64],
) -> None: ...
def shortlist(
    positions: npt.NDArray[np.int64],
    rows: npt.NDArray[np.uint64],
    coarse: npt.NDArray[np.uint64],
    signature: tuple[int, ...],
    shortlist: int,
    first_cut: int,
    out: npt.NDArray[np.int64],
) -> int: ...
