"""The client tsgen generates from the `openai` npm package (4.104.0), used as openai-python is.

Generate it (the package's resources are converted; its other files are read for names, its
client class and its `.js` give the client's defaults), then run this file:

    npm pack openai@4.104.0 && mkdir openai && tar -xzf openai-4.104.0.tgz -C openai --strip-components=1
    tsgen generate openai/resources --root openai -o build --package openai_sdk
    PYTHONPATH=build OPENAI_API_KEY=sk-... python examples/openai_client.py

The test suite type-checks this file (mypy --strict, pyright strict) against that output; the
`assert_type` lines pin what each call returns.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from typing_extensions import assert_type

from openai_sdk import APIStatusError, AsyncOpenAI, AsyncStream, BinaryResponse, NotFoundError, OpenAI, Stream
from openai_sdk._runtime import AsyncPaginator
from openai_sdk.pagination import AsyncCursorPage, SyncCursorPage
from openai_sdk.resources.chat.completions import ChatCompletion, ChatCompletionChunk
from openai_sdk.resources.files import FileDeleted, FileObject


def chat(client: OpenAI) -> None:
    completion = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Say hi"}])
    assert_type(completion, ChatCompletion)
    print(completion.choices[0].message.content)

    stream = client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Count to 3"}], stream=True)
    assert_type(stream, Stream[ChatCompletionChunk])
    with stream:
        for chunk in stream:
            print(chunk.choices[0].delta.content or "", end="")
    print()


def files(client: OpenAI, training: Path) -> None:
    uploaded = client.files.create(file=training, purpose="fine-tune")
    assert_type(uploaded, FileObject)
    page = client.files.list(limit=20)
    assert_type(page, SyncCursorPage[FileObject])
    for file in page:  # every file, the next pages fetched as the loop reaches them
        print(file.id, file.filename)
    content = client.files.content(uploaded.id)
    assert_type(content, BinaryResponse)
    content.write_to_file(training.with_suffix(".copy"))
    deleted = client.files.delete(uploaded.id)
    assert_type(deleted, FileDeleted)


def errors(client: OpenAI) -> None:
    patient = client.with_options(max_retries=5, timeout=20.0)
    try:
        patient.models.retrieve("no-such-model", extra_headers={"X-Trace": "example"})
    except NotFoundError as error:
        print("not found:", error.status_code, error.request_id)
    except APIStatusError as error:
        print("failed:", error.status_code, error.body)


async def async_usage(client: AsyncOpenAI) -> None:
    stream = await client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], stream=True)
    assert_type(stream, AsyncStream[ChatCompletionChunk])
    async for chunk in stream:
        print(chunk.choices[0].delta.content or "", end="")
    files = client.files.list()
    assert_type(files, AsyncPaginator[FileObject, AsyncCursorPage[FileObject]])
    first = await files
    assert_type(first, AsyncCursorPage[FileObject])
    async for file in client.files.list():
        print(file.id)


def main() -> None:
    with OpenAI() as client:  # OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID from the environment
        chat(client)
        errors(client)
    asyncio.run(async_usage(AsyncOpenAI()))


if __name__ == "__main__":
    main()
