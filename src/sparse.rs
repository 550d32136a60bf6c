//! Sparse records: checked CSR rows that linfa's traits accept.
//!
//! [`SparseRecords`] wraps the featurizer's [`SparseMatrix`] and checks its
//! invariants once, at construction, so the solver and prediction can index it without
//! checks. It implements [`linfa::dataset::Records`], which is all linfa asks of the
//! records of a [`linfa::DatasetBase`]: the number of samples and of features.

use linfa::dataset::Records;
use ndarray::Array2;

use crate::vectorize::{SparseMatrix, SparseRow};

/// What is wrong with the parts given to [`SparseRecords::new`].
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RecordsError {
    /// There are no row pointers: `n` rows need `n + 1`, the first 0.
    #[error("sparse rows: no row pointers; n rows need n + 1 of them, the first 0")]
    NoRowPointers,
    /// The first row pointer is not 0.
    #[error("sparse rows: the first row pointer is {first}, not 0")]
    FirstPointer {
        /// The first row pointer.
        first: usize,
    },
    /// A row pointer is below the one before it.
    #[error("sparse rows: row {row} ends at {end}, before it starts at {start}")]
    Decreasing {
        /// The row (from 0).
        row: usize,
        /// Where it starts.
        start: usize,
        /// Where it ends.
        end: usize,
    },
    /// The last row pointer is not the number of entries.
    #[error("sparse rows: the last row ends at {last}, but there are {entries} entries")]
    LastPointer {
        /// The last row pointer.
        last: usize,
        /// The number of column indices.
        entries: usize,
    },
    /// Column indices and values differ in number.
    #[error("sparse rows: {indices} column indices but {values} values")]
    Lengths {
        /// The number of column indices.
        indices: usize,
        /// The number of values.
        values: usize,
    },
    /// A column index is not below the number of features.
    #[error("sparse rows: row {row} has column {column}, but there are {n_features} features")]
    ColumnOutOfRange {
        /// The row (from 0).
        row: usize,
        /// The column index.
        column: u32,
        /// The number of features.
        n_features: usize,
    },
    /// A value is NaN or infinite.
    #[error("sparse rows: row {row} has the value {value} at column {column}")]
    NotFinite {
        /// The row (from 0).
        row: usize,
        /// The column index.
        column: u32,
        /// The value.
        value: f32,
    },
}

/// Rows in compressed sparse row form, with checked invariants: row pointers start at
/// 0, never decrease and end at the number of entries; there are as many values as
/// column indices; every column index is below the number of features; every value
/// is finite.
#[derive(Debug, Clone, PartialEq)]
pub struct SparseRecords {
    matrix: SparseMatrix,
}

impl SparseRecords {
    /// Records from CSR parts: row `i` is `indices[indptr[i]..indptr[i + 1]]` with
    /// `values` alike, over `n_features` columns.
    ///
    /// # Errors
    ///
    /// A [`RecordsError`] naming the first broken invariant.
    pub fn new(
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f32>,
        n_features: usize,
    ) -> Result<Self, RecordsError> {
        Self::try_from(SparseMatrix {
            indptr,
            indices,
            values,
            n_cols: n_features,
        })
    }

    /// Records from rows, over `n_features` columns.
    ///
    /// # Errors
    ///
    /// A [`RecordsError`] if a row's lengths differ or it has a column index at or past
    /// `n_features` or a value that is not finite.
    pub fn from_rows<'a, I>(n_features: usize, rows: I) -> Result<Self, RecordsError>
    where
        I: IntoIterator<Item = &'a SparseRow>,
    {
        let mut m = SparseMatrix::new(n_features);
        for row in rows {
            if row.indices.len() != row.values.len() {
                return Err(RecordsError::Lengths {
                    indices: row.indices.len(),
                    values: row.values.len(),
                });
            }
            m.push(row);
        }
        Self::try_from(m)
    }

    /// Number of rows.
    pub fn n_rows(&self) -> usize {
        self.matrix.n_rows()
    }

    /// Number of features (columns).
    pub fn n_features(&self) -> usize {
        self.matrix.n_cols
    }

    /// Row `i` as column indices and values.
    ///
    /// # Panics
    ///
    /// If `i` is not below [`SparseRecords::n_rows`].
    pub fn row(&self, i: usize) -> (&[u32], &[f32]) {
        self.matrix.row(i)
    }

    /// The checked matrix.
    pub fn matrix(&self) -> &SparseMatrix {
        &self.matrix
    }

    /// The matrix back, for the caller to own.
    pub fn into_matrix(self) -> SparseMatrix {
        self.matrix
    }

    /// Dense copy (rows × features).
    pub fn to_dense(&self) -> Array2<f32> {
        self.matrix.to_dense()
    }
}

impl TryFrom<SparseMatrix> for SparseRecords {
    type Error = RecordsError;

    /// Check the matrix's invariants and take it.
    fn try_from(m: SparseMatrix) -> Result<Self, RecordsError> {
        let first = *m.indptr.first().ok_or(RecordsError::NoRowPointers)?;
        if first != 0 {
            return Err(RecordsError::FirstPointer { first });
        }
        if m.indices.len() != m.values.len() {
            return Err(RecordsError::Lengths {
                indices: m.indices.len(),
                values: m.values.len(),
            });
        }
        for (row, w) in m.indptr.windows(2).enumerate() {
            if w[1] < w[0] {
                return Err(RecordsError::Decreasing {
                    row,
                    start: w[0],
                    end: w[1],
                });
            }
        }
        let last = *m.indptr.last().unwrap_or(&0);
        if last != m.indices.len() {
            return Err(RecordsError::LastPointer {
                last,
                entries: m.indices.len(),
            });
        }
        // Pointers rise from 0 to the number of entries: every row is in bounds.
        for row in 0..m.n_rows() {
            let (indices, values) = m.row(row);
            for (&column, &value) in indices.iter().zip(values) {
                if column as usize >= m.n_cols {
                    return Err(RecordsError::ColumnOutOfRange {
                        row,
                        column,
                        n_features: m.n_cols,
                    });
                }
                if !value.is_finite() {
                    return Err(RecordsError::NotFinite { row, column, value });
                }
            }
        }
        Ok(SparseRecords { matrix: m })
    }
}

impl Records for SparseRecords {
    type Elem = f32;

    fn nsamples(&self) -> usize {
        self.n_rows()
    }

    fn nfeatures(&self) -> usize {
        self.n_features()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// CSR parts and the error they should give.
    struct Case {
        indptr: Vec<usize>,
        indices: Vec<u32>,
        values: Vec<f32>,
        want: RecordsError,
    }

    fn case(indptr: &[usize], indices: &[u32], values: &[f32], want: RecordsError) -> Case {
        Case {
            indptr: indptr.to_vec(),
            indices: indices.to_vec(),
            values: values.to_vec(),
            want,
        }
    }

    #[test]
    fn checks_every_invariant() {
        let ok =
            SparseRecords::new(vec![0, 2, 2, 3], vec![0, 3, 1], vec![1.0, 0.5, 2.0], 4).unwrap();
        assert_eq!((ok.nsamples(), ok.nfeatures()), (3, 4));
        assert_eq!(ok.row(1), (&[][..], &[][..]));
        assert_eq!(ok.row(2), (&[1][..], &[2.0][..]));
        let cases = [
            case(&[], &[], &[], RecordsError::NoRowPointers),
            case(
                &[1, 1],
                &[0],
                &[1.0],
                RecordsError::FirstPointer { first: 1 },
            ),
            case(
                &[0, 2, 1, 2],
                &[0, 1],
                &[1.0, 1.0],
                RecordsError::Decreasing {
                    row: 1,
                    start: 2,
                    end: 1,
                },
            ),
            case(
                &[0, 1, 3],
                &[0, 1],
                &[1.0, 1.0],
                RecordsError::LastPointer {
                    last: 3,
                    entries: 2,
                },
            ),
            case(
                &[0, 3, 2],
                &[0, 1],
                &[1.0, 1.0],
                RecordsError::Decreasing {
                    row: 1,
                    start: 3,
                    end: 2,
                },
            ),
            case(
                &[0, 1],
                &[0, 1],
                &[1.0, 1.0],
                RecordsError::LastPointer {
                    last: 1,
                    entries: 2,
                },
            ),
            case(
                &[0, 1],
                &[0],
                &[1.0, 2.0],
                RecordsError::Lengths {
                    indices: 1,
                    values: 2,
                },
            ),
            case(
                &[0, 1],
                &[4],
                &[1.0],
                RecordsError::ColumnOutOfRange {
                    row: 0,
                    column: 4,
                    n_features: 4,
                },
            ),
            case(
                &[0, 1],
                &[2],
                &[f32::INFINITY],
                RecordsError::NotFinite {
                    row: 0,
                    column: 2,
                    value: f32::INFINITY,
                },
            ),
        ];
        for c in cases {
            let what = format!("{:?} {:?} {:?}", c.indptr, c.indices, c.values);
            let got = SparseRecords::new(c.indptr, c.indices, c.values, 4).unwrap_err();
            assert_eq!(got, c.want, "{what}");
        }
    }

    #[test]
    fn from_rows_refuses_a_row_with_unequal_lengths() {
        let bad = SparseRow {
            indices: vec![0, 1],
            values: vec![1.0],
        };
        assert_eq!(
            SparseRecords::from_rows(2, [&bad]).unwrap_err(),
            RecordsError::Lengths {
                indices: 2,
                values: 1
            }
        );
    }
}
