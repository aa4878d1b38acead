import { useState } from "preact/hooks";

/**
 * Files dropped on the zone or picked with its button, handed over as a list (the same files either way).
 * The Verify page and the console's "Issue documents" take files through it.
 */
export function FileDropZone(props: {
  prompt: string;
  pickLabel: string;
  onFiles: (files: File[]) => void;
  accept?: string;
  testId?: string;
  inputTestId?: string;
}) {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      class={dragging ? "drop-zone drop-zone--active" : "drop-zone"}
      data-testid={props.testId}
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        props.onFiles([...(event.dataTransfer?.files ?? [])]);
      }}
    >
      <span>{props.prompt}</span>{" "}
      <label class="button">
        {props.pickLabel}
        <input
          type="file"
          class="visually-hidden"
          multiple
          accept={props.accept}
          data-testid={props.inputTestId}
          onChange={(event) => {
            const input = event.currentTarget;
            props.onFiles([...(input.files ?? [])]);
            input.value = "";
          }}
        />
      </label>
    </div>
  );
}
